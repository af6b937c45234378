// Validates a Teams app manifest against Microsoft's official JSON schema, offline (npm `@microsoft/app-manifest`).
// Argument: the manifest.json path. Output (stdout): a JSON array of schema errors (empty when valid).
"use strict";
const fs = require("fs");
const { AppManifestUtils } = require("@microsoft/app-manifest");

(async () => {
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  process.stdout.write(JSON.stringify(errors));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
