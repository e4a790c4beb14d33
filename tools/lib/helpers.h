/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every part of tools/ may use: the library, the loaders, the CLI, the tests. */
#ifndef VCDROM_HELPERS_H
#define VCDROM_HELPERS_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

#endif /* VCDROM_HELPERS_H */
