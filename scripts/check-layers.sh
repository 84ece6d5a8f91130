#!/usr/bin/env bash
# Layers only point down (STYLE.md): pages → api, components → ssr → domain; i18n is below all.
# Fails, naming file:line, on a `crate::` path that points up:
#   domain/      may use nothing of ours but i18n
#   ssr/         may not use api, pages, components, app
#   api/         may not use pages, components, app
#   components/  may not use pages, app
# and api/ holds no database query (no sea_orm outside its error mapping).
# Usage: scripts/check-layers.sh [SRC_DIR]   (default app/src)
set -euo pipefail
src="${1:-$(dirname "$0")/../app/src}"
status=0
check() {
  local dir="$1" forbidden="$2"
  [ -d "$src/$dir" ] || return 0
  local hits
  hits=$(grep -rnE "crate::($forbidden)\b|super::super::($forbidden)\b" "$src/$dir" --include='*.rs' || true)
  if [ -n "$hits" ]; then
    echo "upward import from $dir/ (may not use: ${forbidden//|/, }):"
    echo "$hits" | sed "s|^$src/|  app/src/|"
    status=1
  fi
}
check domain 'api|ssr|pages|components|app|web'
check ssr 'api|pages|components|app|web'
check api 'pages|components|app'
check components 'pages|app'
# api/ maps to DTOs and checks rights; it does not query: queries live in ssr/.
hits=$(grep -rnE "\bsea_orm\b|Entity::find" "$src/api" --include='*.rs' | grep -v '^[^:]*/api/error.rs:' || true)
if [ -n "$hits" ]; then
  echo "a database query in api/ (move it into ssr/ and call it from the server function):"
  echo "$hits" | sed "s|^$src/|  app/src/|"
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "layers: every crate:: import points down"
fi
exit "$status"
