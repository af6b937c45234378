# CP Conference Bot in a container: slim, non-root, with a health check. Build: docker build -t cp-conference-bot .
# Run: docker run -p 3978:3978 --env-file .env cp-conference-bot (see README, "Run it in a container").
# The meeting tab's browser code (TeamsJS and ours), bundled once; only the bundle goes into the image.
FROM node:20-slim AS pages
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY bot/web/pages/src bot/web/pages/src
RUN node_modules/.bin/esbuild bot/web/pages/src/meeting-tab.js --bundle --minify --format=iife --target=es2020 \
    --legal-comments=none --outfile=bot/web/pages/static/meeting-tab.js

FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=3978

WORKDIR /app

# The pinned dependencies first, so a code change does not reinstall them.
COPY requirements/runtime.txt requirements/runtime.txt
RUN python -m pip install --require-hashes -r requirements/runtime.txt

COPY app.py ./
COPY bot bot
COPY cards cards
COPY config config
COPY manifest manifest
COPY --from=pages /build/bot/web/pages/static/meeting-tab.js bot/web/pages/static/meeting-tab.js
# Run from the source tree (app.py finds bot/, cards/ and config/ beside it); no package install needed.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /app/data \
    && chown bot /app/data

USER bot
EXPOSE 3978
# SQLite lives in /app/data unless DATABASE_URL points at PostgreSQL (do that for more than one instance).
VOLUME ["/app/data"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '3978')}/livez\", timeout=4)"]

CMD ["python", "app.py"]
