"""Who is asking, from a signed token: the signing keys, and the meeting pages' single sign-on tokens."""
