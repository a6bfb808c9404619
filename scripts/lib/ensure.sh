# Shared by scripts/start and scripts/test: install what is missing, with one clear sentence when
# something cannot be had.

# The project's own Node 24 comes from the npm registry (devDependency "node"); any Node 18+ with
# npm can install it.
ensure_node_modules() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed once to install the project's own Node 24: install Node.js 18 or newer with npm (Debian: apt-get install nodejs npm)." >&2
    exit 1
  fi
  if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing dependencies (npm install, at the versions in package-lock.json)..." >&2
    # Not `npm ci`: npm leaves other platforms' optional packages out of the lock file it writes
    # and then ci refuses that same lock file. `npm install` keeps the locked versions.
    npm install --no-audit --no-fund --loglevel=error >&2
  fi
  if ! node_modules/.bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)'; then
    echo "node_modules/.bin/node is not Node 24: remove node_modules and run again." >&2
    exit 1
  fi
}

# FerretDB is built once unless MONGODB_URI points at an existing MongoDB.
ensure_ferretdb() {
  if [ -z "${MONGODB_URI:-}" ]; then
    scripts/ferretdb/build
  fi
}

# Redis: REDIS_URL, or 127.0.0.1:6379, or our own redis-server (started by the service itself).
ensure_redis_available() {
  if [ -n "${REDIS_URL:-}" ]; then return 0; fi
  if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then return 0; fi
  if command -v redis-server >/dev/null 2>&1; then return 0; fi
  echo "Redis is needed: set REDIS_URL, run Redis on 127.0.0.1:6379, or install redis-server (Debian: apt-get install redis-server)." >&2
  exit 1
}

# Browser tests drive Debian's Chromium (never a test tool's own browser download).
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then return 0; fi
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (apt-get install chromium)..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    return 0
  fi
  echo "The browser tests need Chromium: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
}
