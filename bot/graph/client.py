"""The Microsoft Graph client: msgraph-sdk on an httpx client this module opens and closes.

The base URL is a setting because national clouds use other hosts; the token scope follows the host. Without a
credential (local mode, tests against a Graph double on 127.0.0.1) requests go unauthenticated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from kiota_abstractions.authentication import AnonymousAuthenticationProvider, AuthenticationProvider
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_service_client import GraphServiceClient
from msgraph_core import GraphClientFactory

from bot.graph.tracing import TracedTransport


def graph_scope(base_url: str) -> str:
    """`https://graph.microsoft.com/v1.0` → `https://graph.microsoft.com/.default` (likewise for national clouds)."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


@asynccontextmanager
async def graph_client(
    base_url: str, credential: AsyncTokenCredential | None, *, request_timeout_seconds: float
) -> AsyncIterator[GraphServiceClient]:
    """A Graph client for the lifetime of the block; its HTTP connections are closed afterwards."""
    authentication: AuthenticationProvider
    if credential is None:
        authentication = AnonymousAuthenticationProvider()
    else:
        host = urlsplit(base_url).hostname or ""
        authentication = AzureIdentityAuthenticationProvider(
            credential, scopes=[graph_scope(base_url)], allowed_hosts=[host]
        )
    connections = httpx.AsyncHTTPTransport()
    http = GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(transport=TracedTransport(connections, base_url), timeout=request_timeout_seconds)
    )
    try:
        adapter = GraphRequestAdapter(authentication, client=http)
        adapter.base_url = base_url.rstrip("/")
        yield GraphServiceClient(request_adapter=adapter)
    finally:
        await http.aclose()
        # msgraph-core wraps the transport in one whose close does not reach the connections inside it.
        await connections.aclose()
