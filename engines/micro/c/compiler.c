/* tsfdw micro engine: the build-machine compiler. Parses one ES5 script with the same
 * MicroQuickJS sources and the same standard-library table as the guest (64-bit host build) and
 * writes 32-bit bytecode for the wasm32 engine (JS_PrepareBytecode64to32).
 * usage: tsfdw-mqjsc <in.js> <out.bin> <name-in-backtraces>
 * A syntax error prints "<name>:<line>:<col>: <message>" on stderr and exits 1. */
#include <stdio.h>
#include "mquickjs.c"
#include "builtins.c"

JSValue tsfdw_host_call(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    return JS_ThrowTypeError(ctx, "no host at compile time");
}

#include "tsfdw_stdlib64.h"

#include "read_all.h"

int main(int argc, char **argv)
{
    size_t mem_size = 256 << 20, len;
    uint8_t *mem, *src;
    JSContext *ctx;
    JSValue val;
    JSBytecodeHeader32 hdr;
    const uint8_t *data;
    uint32_t data_len;
    FILE *f;
    char err[1024];

    if (argc != 4) {
        fprintf(stderr, "usage: %s <in.js> <out.bin> <name>\n", argv[0]);
        return 2;
    }
    src = read_all(argv[1], &len);
    mem = malloc(mem_size);
    ctx = JS_NewContext2(mem, mem_size, &js_stdlib, TRUE);
    val = JS_Parse(ctx, (const char *)src, len, argv[3], 0);
    if (JS_IsException(val)) {
        JSValue ex = ctx->current_exception;
        JSCStringBuf b1, b2;
        const char *msg = "", *where = "";
        if (JS_IsError(ctx, ex)) {
            JSObject *p = JS_VALUE_TO_PTR(ex);
            msg = JS_ToCString(ctx, p->u.error.message, &b1);
            where = p->u.error.stack != JS_NULL ? JS_ToCString(ctx, p->u.error.stack, &b2) : "";
        }
        snprintf(err, sizeof(err), "%s", where ? where : "");
        fprintf(stderr, "SyntaxError: %s\n%s\n", msg ? msg : "", err);
        return 1;
    }
    if (JS_PrepareBytecode64to32(ctx, &hdr, &data, &data_len, val)) {
        fprintf(stderr, "could not convert the bytecode to 32 bits\n");
        return 1;
    }
    f = fopen(argv[2], "wb");
    if (!f) { perror(argv[2]); return 2; }
    fwrite(&hdr, 1, sizeof(hdr), f);
    fwrite(data, 1, data_len, f);
    if (fclose(f) != 0) { perror(argv[2]); return 2; }
    return 0;
}
