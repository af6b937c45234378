// Keeps the Microsoft 365 Agents Playground on loopback: it has no host option and would listen on every interface.
"use strict";
const net = require("net");
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    const hostGiven = typeof args[1] === "string";
    if (!hostGiven) args.splice(1, 0, "127.0.0.1");
  } else if (first && typeof first === "object" && !first.path && !first.host) {
    args[0] = { ...first, host: "127.0.0.1" };
  } else if (args.length === 0 || typeof first === "function") {
    args.unshift(0, "127.0.0.1");
  }
  return originalListen.apply(this, args);
};
