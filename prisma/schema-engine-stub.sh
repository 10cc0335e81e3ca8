#!/bin/sh
# Stand-in for the native schema engine, which cannot be downloaded here: `prisma generate`
# only checks that the file exists. Migrations go through the wasm engine (src/infra/migrations).
exit 1
