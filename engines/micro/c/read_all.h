/* A whole file into a NUL-terminated buffer, for the two native build-machine tools (compiler.c,
 * test-runner.c); any failure ends the tool with exit code 2 and the path. */
#ifndef TSFDW_READ_ALL_H
#define TSFDW_READ_ALL_H

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static uint8_t *read_all(const char *path, size_t *plen)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n + 1);
    if (!buf || fread(buf, 1, n, f) != (size_t)n) { perror(path); exit(2); }
    buf[n] = 0;
    fclose(f);
    *plen = n;
    return buf;
}

#endif
