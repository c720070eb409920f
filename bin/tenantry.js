#!/usr/bin/env node
// The installed CLI runs the compiled JavaScript in dist/ with plain node (no TypeScript loader).
import "../dist/cli/main.js";
