#!/usr/bin/env bash
# Translation catalogs: webapp/translations (the shared one) and one per domain package that has
# its own (webapp/<package>/translations, webapp/core/<package>/translations), so that each
# domain's texts live with it.
#   scripts/messages.sh update    extract the texts and merge them into every catalog (then translate)
#   scripts/messages.sh compile   compile every catalog (.po -> .mo; the .mo files are committed)
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=.venv/bin/pybabel
packages=$(find webapp -mindepth 2 -maxdepth 3 -type d -name translations | xargs -r -n1 dirname | sort)
own=$(for pkg in $packages; do basename "$pkg"; done | tr '\n' ' ')
case "${1:-}" in
  update)
    $BABEL extract -F webapp/translations/babel.cfg -k _l --ignore-dirs ".* ._ $own" -o /tmp/messages-root.pot .
    $BABEL update -i /tmp/messages-root.pot -d webapp/translations -l ko
    for pkg in $packages; do
      name=$(basename "$pkg")
      $BABEL extract -F webapp/translations/package.cfg -k _l -o "/tmp/messages-$name.pot" "$pkg"
      if [ -f "$pkg/translations/ko/LC_MESSAGES/messages.po" ]; then
        $BABEL update -i "/tmp/messages-$name.pot" -d "$pkg/translations" -l ko
      else
        $BABEL init -i "/tmp/messages-$name.pot" -d "$pkg/translations" -l ko
      fi
    done ;;
  compile)
    for dir in webapp/translations $(for pkg in $packages; do echo "$pkg/translations"; done); do
      [ -d "$dir/ko" ] && $BABEL compile -d "$dir"
    done ;;
  *) echo "usage: $0 update|compile" >&2; exit 2 ;;
esac
