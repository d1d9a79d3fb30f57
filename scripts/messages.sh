#!/usr/bin/env bash
# Translation catalogs: webapp/translations (the shared one) and one per domain package that has
# its own (webapp/<package>/translations), so that each domain's texts live with it.
#   scripts/messages.sh update    extract the texts and merge them into every catalog (then translate)
#   scripts/messages.sh compile   compile every catalog (.po -> .mo; the .mo files are committed)
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
own=$(find webapp -mindepth 2 -maxdepth 2 -type d -name translations | xargs -r -n1 dirname | xargs -r -n1 basename | tr '\n' ' ')
case "${1:-}" in
  update)
    $BABEL extract -q -F webapp/translations/babel.cfg -k _l --ignore-dirs ".* ._ $own" -o /tmp/messages-root.pot .
    $BABEL update -q -i /tmp/messages-root.pot -d webapp/translations -l ko
    for pkg in $own; do
      $BABEL extract -q -F webapp/translations/package.cfg -k _l -o "/tmp/messages-$pkg.pot" "webapp/$pkg"
      if [ -f "webapp/$pkg/translations/ko/LC_MESSAGES/messages.po" ]; then
        $BABEL update -q -i "/tmp/messages-$pkg.pot" -d "webapp/$pkg/translations" -l ko
      else
        $BABEL init -q -i "/tmp/messages-$pkg.pot" -d "webapp/$pkg/translations" -l ko
      fi
    done ;;
  compile)
    for dir in webapp/translations webapp/*/translations; do
      [ -d "$dir/ko" ] && $BABEL compile -q -d "$dir"
    done ;;
  *) echo "usage: $0 update|compile" >&2; exit 2 ;;
esac
