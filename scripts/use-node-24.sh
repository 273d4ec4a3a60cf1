# Puts Node.js 24 first on PATH for this shell, installing it once from the npm registry (the
# `node` package) when the machine's own Node is older. Source it: `. scripts/use-node-24.sh`.
# Native addons (better-sqlite3) are then built against Node 24's own headers.
pantau_node_version=24.21.0
pantau_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/pantau/node-$pantau_node_version"
if [ "$(node --version 2>/dev/null)" != "v$pantau_node_version" ]; then
  if [ ! -x "$pantau_node_dir/node_modules/.bin/node" ]; then
    npm install --prefix "$pantau_node_dir" --no-save --no-audit --no-fund --loglevel=error "node@$pantau_node_version" >&2
  fi
  export PATH="$pantau_node_dir/node_modules/.bin:$PATH"
  # The `node` package ships its headers in node-<platform>-<arch>/include.
  export npm_config_nodedir="$pantau_node_dir/node_modules/node/node_modules/node-$(node -p 'process.platform + "-" + process.arch')"
fi
node --version >&2
