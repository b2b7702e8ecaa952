#!/bin/sh
# svg2png.sh FILE.svg [MAXPX]: FILE.png, a screenshot of the SVG by headless
# Chromium at its own size, scaled down to at most MAXPX (default 1600)
# pixels wide.  Used by `make docs-pictures`.
set -e
svg=$1
max=${2:-1600}
png=${svg%.svg}.png
# Graphviz writes width="123pt"; the timeline width="123" (px)
w=$(sed -n 's/.*<svg[^>]* width="\([0-9.]*\)\(pt\)\{0,1\}".*/\1 \2/p' "$svg" | head -1)
h=$(sed -n 's/.*<svg[^>]* height="\([0-9.]*\)\(pt\)\{0,1\}".*/\1 \2/p' "$svg" | head -1)
px() { set -- $1; if [ "${2:-}" = pt ]; then echo "$1" | awk '{ printf "%d", $1 * 4 / 3 + 1 }'; else echo "$1" | awk '{ printf "%d", $1 + 1 }'; fi; }
W=$(px "$w")
H=$(px "$h")
scale=$(awk -v w="$W" -v m="$max" 'BEGIN { s = m / w; printf "%.4f", s < 1 ? s : 1 }')
SW=$(awk -v w="$W" -v s="$scale" 'BEGIN { printf "%d", w * s }')
SH=$(awk -v h="$H" -v s="$scale" 'BEGIN { printf "%d", h * s }')
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--force-device-scale-factor="$scale" --window-size="$W,$H" \
	--screenshot="$png" "file://$(realpath "$svg")" >/dev/null 2>&1
echo "$png: ${SW}x${SH} from ${W}x${H}"
