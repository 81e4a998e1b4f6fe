#!/bin/sh
# Regenerates the binary files of the Hà Nam sample batch (sample/ha-nam/):
# placeholder JPEGs, the placeholder film and the placeholder sound.
#
# Everything this script makes is MACHINE-GENERATED sample material for the Disan demo. No file is
# a photograph or recording of a real village, craft or festival. The SVG patterns, the subtitles
# and all text are hand-written files in the batch and are not touched here.
#
# Deterministic: no randomness, no timestamps (exiftool adds none; ffmpeg runs bit-exact, one
# thread). The same tool versions give byte-identical files. Written and checked with
# ImageMagick 6.9.11, exiftool 12.57, ffmpeg with libx264, DejaVu Sans.
#
# Needs: convert (ImageMagick), exiftool, ffmpeg with libx264, the DejaVu Sans font.
#   Debian/Ubuntu: apt-get install -y imagemagick libimage-exiftool-perl ffmpeg fonts-dejavu-core
#
# Usage: sh sample/make-sample.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
batch="$here/ha-nam"
objects="$batch/objects"
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
font_bold=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

for tool in convert exiftool ffmpeg; do
    command -v "$tool" >/dev/null || { echo "make-sample.sh: $tool is missing" >&2; exit 1; }
done
[ -f "$font" ] || { echo "make-sample.sh: $font is missing (fonts-dejavu-core)" >&2; exit 1; }

mkdir -p "$objects/anh" "$objects/quyen-truy-cap" "$objects/phim-lang-nghe-mau" "$objects/am-thanh" \
    "$objects/quyen-truy-cap/phim-cong-dong-mau"

description='Machine-generated placeholder, not a photograph. Sample material of the Disan demo (Ha Nam sample batch); it shows no real village, object or person.'
artist='Disan sample generator (sample/make-sample.sh) - machine-generated, no photographer'
copyright='CC0 1.0 - sample material generated for the Disan demo'

# placeholder OUTPUT LABEL BACKGROUND...: an 800x600 JPEG from ImageMagick drawing arguments,
# with a caption bar saying what it is, and EXIF saying it again.
placeholder() {
    out=$1
    label=$2
    shift 2
    convert -size 800x600 "$@" \
        -stroke none -strokewidth 1 -fill '#000000a0' -draw 'rectangle 0,510 800,600' \
        -font "$font_bold" -pointsize 22 -fill white \
        -annotate +24+545 'ẢNH MẪU DO MÁY TẠO — KHÔNG PHẢI ẢNH CHỤP' \
        -font "$font" -pointsize 17 \
        -annotate +24+578 "Machine-generated sample, not a photograph · $label" \
        -strip -sampling-factor 4:2:0 -quality 80 "$out"
    exiftool -q -overwrite_original \
        -ImageDescription="$description" \
        -Artist="$artist" \
        -Copyright="$copyright" \
        "$out"
}

# Đọi Tam (drum making): concentric rings in drum-skin and lacquer colours.
placeholder "$objects/anh/doi-tam-anh-mau.jpg" 'Đọi Tam (Doi Tam)' \
    radial-gradient:'#e9d3a6-#7a2a1a' \
    -fill none -stroke '#5a1e12' -strokewidth 6 \
    -draw 'circle 400,270 400,40' -draw 'circle 400,270 400,90' \
    -strokewidth 3 -draw 'circle 400,270 400,160' -draw 'circle 400,270 400,230'

# Nha Xá (silk weaving): a soft sheen with fine horizontal lines.
placeholder "$objects/anh/nha-xa-anh-mau.jpg" 'Nha Xá (Nha Xa)' \
    gradient:'#f6ead0-#c9a45c' \
    -stroke '#ffffff60' -strokewidth 1 \
    -draw 'line 0,60 800,60' -draw 'line 0,120 800,120' -draw 'line 0,180 800,180' \
    -draw 'line 0,240 800,240' -draw 'line 0,300 800,300' -draw 'line 0,360 800,360' \
    -draw 'line 0,420 800,420' -draw 'line 0,480 800,480'

# Ngọc Động (rattan and bamboo weaving): a plain over-under check in cane colours.
placeholder "$objects/anh/ngoc-dong-anh-mau.jpg" 'Ngọc Động (Ngoc Dong)' \
    xc:'#d8b77a' \
    -fill '#b88a45' \
    -draw 'rectangle 0,0 100,100' -draw 'rectangle 200,0 300,100' -draw 'rectangle 400,0 500,100' -draw 'rectangle 600,0 700,100' \
    -draw 'rectangle 100,100 200,200' -draw 'rectangle 300,100 400,200' -draw 'rectangle 500,100 600,200' -draw 'rectangle 700,100 800,200' \
    -draw 'rectangle 0,200 100,300' -draw 'rectangle 200,200 300,300' -draw 'rectangle 400,200 500,300' -draw 'rectangle 600,200 700,300' \
    -draw 'rectangle 100,300 200,400' -draw 'rectangle 300,300 400,400' -draw 'rectangle 500,300 600,400' -draw 'rectangle 700,300 800,400' \
    -draw 'rectangle 0,400 100,500' -draw 'rectangle 200,400 300,500' -draw 'rectangle 400,400 500,500' -draw 'rectangle 600,400 700,500' \
    -draw 'rectangle 100,500 200,600' -draw 'rectangle 300,500 400,600' -draw 'rectangle 500,500 600,600' -draw 'rectangle 700,500 800,600'

# Đô Hai (horn craft): a dark-to-amber gradient.
placeholder "$objects/anh/do-hai-anh-mau.jpg" 'Đô Hai (Do Hai)' \
    gradient:'#1c1410-#b07a36' \
    -fill none -stroke '#e8c48a80' -strokewidth 4 \
    -draw 'arc 150,80 650,580 200,340'

# Thanh Hà (embroidery and lace): a light ground with rows of small open circles.
placeholder "$objects/anh/thanh-ha-anh-mau.jpg" 'Thanh Hà (Thanh Ha)' \
    xc:'#f4f1ea' \
    -fill none -stroke '#b9a27a' -strokewidth 2 \
    -draw 'circle 100,100 100,130' -draw 'circle 250,100 250,130' -draw 'circle 400,100 400,130' -draw 'circle 550,100 550,130' -draw 'circle 700,100 700,130' \
    -draw 'circle 175,230 175,260' -draw 'circle 325,230 325,260' -draw 'circle 475,230 475,260' -draw 'circle 625,230 625,260' \
    -draw 'circle 100,360 100,390' -draw 'circle 250,360 250,390' -draw 'circle 400,360 400,390' -draw 'circle 550,360 550,390' -draw 'circle 700,360 700,390'

# Vũ Đại (braised fish): warm earthenware browns.
placeholder "$objects/anh/vu-dai-anh-mau.jpg" 'Vũ Đại (Vu Dai)' \
    radial-gradient:'#c07a45-#4a2614'

# The two access-rule samples: grey and clearly titled; never shown publicly.
placeholder "$objects/quyen-truy-cap/han-che.jpg" 'access-rule sample: RESTRICTED' \
    gradient:'#9a9a9a-#4a4a4a' \
    -stroke none -font "$font_bold" -pointsize 48 -fill white -annotate +60+260 'MẪU: HẠN CHẾ' \
    -font "$font" -pointsize 30 -annotate +60+320 'Access-rule sample: restricted'
placeholder "$objects/quyen-truy-cap/nha-nghien-cuu.jpg" 'access-rule sample: RESEARCHERS' \
    gradient:'#8fa3b3-#3f5566' \
    -stroke none -font "$font_bold" -pointsize 48 -fill white -annotate +60+260 'MẪU: NHÀ NGHIÊN CỨU' \
    -font "$font" -pointsize 30 -annotate +60+320 'Access-rule sample: researchers only'

# The community samples (issue 13): a photo for one fictional community, and a film whose
# description is public and whose file is for that community only.
placeholder "$objects/quyen-truy-cap/cong-dong.jpg" 'access-rule sample: COMMUNITY' \
    gradient:'#a3b38f-#55663f' \
    -stroke none -font "$font_bold" -pointsize 48 -fill white -annotate +60+260 'MẪU: CỘNG ĐỒNG' \
    -font "$font" -pointsize 30 -annotate +60+320 'Access-rule sample: one community only'
ffmpeg -nostdin -loglevel error -y -fflags +bitexact \
    -f lavfi -i "color=c=0x55663f:s=320x240:r=25:d=3" \
    -vf "drawtext=fontfile=$font:text='Phim mẫu · chỉ cho cộng đồng':fontsize=16:fontcolor=white:x=12:y=100,drawtext=fontfile=$font:text='Sample film · one community only':fontsize=14:fontcolor=white:x=12:y=130,format=yuv420p" \
    -c:v libx264 -threads 1 -preset medium -crf 30 -profile:v main \
    -flags:v +bitexact -map_metadata -1 \
    -metadata title='Phim mẫu do máy tạo / Machine-generated placeholder film (community sample)' \
    -metadata comment='Machine-generated placeholder film of the Disan demo, not a recording. CC0.' \
    -movflags +faststart \
    "$objects/quyen-truy-cap/phim-cong-dong-mau/phim.mp4"

# The film: a 6-second slideshow of the six village placeholders, 320x240, H.264, no sound,
# with a caption burnt in. Subtitles (vi.vtt, en.vtt) are hand-written files beside it.
frames=$(mktemp -d)
trap 'rm -rf "$frames"' EXIT
i=1
for village in doi-tam nha-xa ngoc-dong do-hai thanh-ha vu-dai; do
    cp "$objects/anh/$village-anh-mau.jpg" "$frames/f$i.jpg"
    i=$((i + 1))
done
ffmpeg -nostdin -loglevel error -y -fflags +bitexact \
    -framerate 1 -i "$frames/f%d.jpg" \
    -vf "scale=320:240,fps=25,format=yuv420p,drawbox=x=0:y=0:w=320:h=22:color=black@0.6:t=fill,drawtext=fontfile=$font:text='Phim mẫu do máy tạo · generated placeholder':fontsize=12:fontcolor=white:x=8:y=5" \
    -t 6 -c:v libx264 -threads 1 -preset medium -crf 30 -tune stillimage -profile:v main \
    -flags:v +bitexact -map_metadata -1 \
    -metadata title='Phim mẫu do máy tạo / Machine-generated placeholder film' \
    -metadata comment='Machine-generated placeholder film of the Disan demo, not a recording of a real village or festival. CC0.' \
    -movflags +faststart \
    "$objects/phim-lang-nghe-mau/phim.mp4"

# The sound: 4 seconds of a decaying low tone struck every 0.6 s, a drum-like signal made by a
# formula (not a recording of any drum). Mono, 16 kHz, 16-bit WAV.
ffmpeg -nostdin -loglevel error -y -fflags +bitexact \
    -f lavfi -i "aevalsrc=0.8*exp(-8*mod(t\,0.6))*sin(2*PI*(70+50*exp(-25*mod(t\,0.6)))*mod(t\,0.6)):s=16000:d=4" \
    -c:a pcm_s16le -ac 1 -flags:a +bitexact -map_metadata -1 \
    -metadata title='Âm thanh mẫu do máy tạo / Machine-generated placeholder sound' \
    -metadata comment='Machine-generated test tone of the Disan demo, not a recording of a real drum. CC0.' \
    "$objects/am-thanh/nhip-trong-mau.wav"

echo "make-sample.sh: regenerated the images, film and sound under $objects"
