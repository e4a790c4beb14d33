# SPDX-License-Identifier: GPL-2.0
#
# What a program linked with lib/libvcdrom.a links with too: libnl for the netlink client, the
# expanders' codecs (zlib, liblzma, libzstd, libbz2) and nettle's SHA-256 and SHA-1, libFLAC for the CHD decoder.
# Included by tools/Makefile and tests/Makefile.
LIBVCDROM_LIBS := $(shell pkg-config --libs libnl-genl-3.0 zlib liblzma libzstd nettle flac) -lbz2 -pthread
