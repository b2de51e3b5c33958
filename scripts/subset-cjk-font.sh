#!/usr/bin/env bash
# Remakes pipeline/assets/fonts/NotoSansCJKsc-Regular-subset.otf, the font charts draw Chinese
# with, from Debian's fonts-noto-cjk (SIL OFL 1.1; see LICENSE-NotoSansCJK.txt beside the font).
# Kept: CJK Unified Ideographs, CJK punctuation, full- and half-width forms, general punctuation.
# Hinting and OpenType layout features are dropped (charts draw outlines at one size).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pyftsubset >/dev/null || python3 -m pip install --quiet fonttools
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || apt-get install -y -qq fonts-noto-cjk
text=$(mktemp); trap 'rm -f "$text"' EXIT
python3 - "$text" <<'PY'
import sys
ranges = [(0x4E00, 0xA000), (0x3000, 0x3040), (0xFF00, 0xFFF0), (0x2000, 0x2070)]
open(sys.argv[1], "w").write("".join(chr(c) for a, b in ranges for c in range(a, b)))
PY
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file="$text" --layout-features='' --no-hinting \
  --output-file=pipeline/assets/fonts/NotoSansCJKsc-Regular-subset.otf
