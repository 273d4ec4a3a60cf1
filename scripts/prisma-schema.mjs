// Renders the two provider schemas from prisma/models.prisma, the single source of truth.
// Used by `npm run schema` (scripts/prisma-generate.mjs) and by the schema drift test.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const providers = ["sqlite", "postgresql"];

/** Path of the rendered schema of a provider. */
export function schemaPath(provider) {
  return path.join(root, "prisma", provider, "schema.prisma");
}

/** The schema file content for a provider, rendered from prisma/models.prisma. */
export function renderSchema(provider) {
  const models = readFileSync(path.join(root, "prisma", "models.prisma"), "utf8");
  const header = [
    "// GENERATED from prisma/models.prisma by `npm run schema`. Do not edit by hand.",
    "",
    "generator client {",
    '  provider               = "prisma-client"',
    `  output                 = "../../src/db/generated/${provider}"`,
    '  runtime                = "nodejs"',
    '  moduleFormat           = "esm"',
    '  importFileExtension    = "js"',
    '  compilerBuild          = "small"',
    "}",
    "",
    "datasource db {",
    `  provider = "${provider}"`,
    "}",
    "",
  ].join("\n");
  return header + models;
}
