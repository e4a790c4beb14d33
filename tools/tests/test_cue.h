/* SPDX-License-Identifier: GPL-2.0 */
/* What test_cue.c and test_cue_cdtext.c share: loading sheets, and CD-TEXT packs. */
#ifndef VCDROM_TEST_CUE_H
#define VCDROM_TEST_CUE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libvcdrom.h"
#include "tap.h"

/* What the last load_cue() noted. */
extern struct noted notes;

/* A sparse file of @size bytes. */
char *make_bin(const char *name, off_t size);
/* Write @text (NULL: @name as it is) as @name and load it; true when it loaded. */
bool load_cue(const char *what, const char *name, const char *text, struct vcd_disc *disc);
/*
 * A sheet (NULL: err.cue as it is) that must be refused with @err, at @line
 * of it (0: none), for @reason.
 */
void cue_fails(const char *what, const char *text, int err, unsigned int line, const char *reason);

/* test_cue_cdtext.c */
/* Packs of one block: sequence numbers from 0, and CRCs right. */
bool packs_valid(const uint8_t *p, unsigned int len);
/* Every pack's CRC, whatever its block. */
bool crcs_valid(const uint8_t *p, unsigned int len);
void test_cdtext(void);
void test_cdtextfile(void);

#endif /* VCDROM_TEST_CUE_H */
