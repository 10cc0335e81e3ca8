#!/bin/sh
# Installs the image's runtime node_modules in the current folder (package.json + package-lock.json):
# production dependencies only, at the lockfile's versions. Run by the Dockerfile and by
# `npm run image:check`, which measures the result.
set -eu

# `npm ci --omit=dev` would keep the Prisma CLI (with Studio and @prisma/dev) and TypeScript: they are
# optional peers of @prisma/client, so the lockfile marks them devOptional, not dev. Without the
# devDependencies they are only optional peers, which npm does not install.
npm pkg delete devDependencies scripts.postinstall
# No install scripts: the Prisma client is generated in the build stage, and no production
# dependency needs a build step (argon2 and esbuild ship prebuilt binaries as optional packages).
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error

# Nothing at run time reads source maps or type declarations.
find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete
# The generated client loads only PostgreSQL's query compiler; the other databases' are ~55 MB.
find node_modules/@prisma/client/runtime -type f -name 'query_compiler_*' ! -name '*.postgresql.*' -delete
