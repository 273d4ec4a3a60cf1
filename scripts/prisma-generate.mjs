// Writes prisma/<provider>/schema.prisma from prisma/models.prisma and generates both Prisma
// clients into src/db/generated/. Runs on `npm install` (prepare) and `npm run schema`.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { providers, renderSchema, root, schemaPath } from "./prisma-schema.mjs";

const require = createRequire(import.meta.url);
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");

for (const provider of providers) {
  const file = schemaPath(provider);
  const content = renderSchema(provider);
  mkdirSync(path.dirname(file), { recursive: true });
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // not rendered yet
  }
  if (current !== content) writeFileSync(file, content);
  // `prisma generate` does not use the native schema engine, but the CLI downloads it at start
  // unless this variable names an existing file; the machines this runs on may be offline.
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", file], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
