#!/usr/bin/env node
// The `pantau` command: runs the compiled CLI (built on `npm install`).
import { existsSync } from "node:fs";
import { favourSmallHeap } from "../dist/heap.js";

// Before anything else is loaded: how V8 sizes the heap (see src/heap.ts).
favourSmallHeap();
const { runCli } = await import("../dist/cli.js");

// Settings may live in a .env file beside the working directory (see .env.example).
if (existsSync(".env")) process.loadEnvFile(".env");

let stop;
const stopSignal = new Promise((resolve) => (stop = resolve));
process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGINT", () => stop("SIGINT"));

const code = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stopSignal,
});
process.exit(code);
