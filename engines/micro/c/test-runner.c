/* tsfdw micro engine: a native runner for tests (test/support/mqjs.ts). Runs one ES5 script on
 * the guest's engine — the same patched MicroQuickJS sources, standard library table and
 * built-ins (builtins.c), compiled for the build machine — where __tsfdw_call(s) writes the string
 * s and a newline to stdout (the harness defines print() on top of it). Not the guest: no glue,
 * no host, 64-bit values, and RegExp(string) compiles (the guest compiles literals at build time
 * with the same parser; the test harnesses build regexps from strings).
 * usage: tsfdw-mqjs-test [--memory-limit BYTES] <script.js>
 * An uncaught exception prints its message and stack on stderr and exits 1. */
#include <stdio.h>
#define TSFDW_TEST_RUNNER 1
#include "mquickjs.c"
#include "builtins.c"

JSValue tsfdw_host_call(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSCStringBuf b;
    size_t len;
    const char *s = JS_ToCStringLen(ctx, &len, argv[0], &b);
    if (!s)
        return JS_EXCEPTION;
    fwrite(s, 1, len, stdout);
    fputc('\n', stdout);
    return JS_UNDEFINED;
}

#include "tsfdw_stdlib64.h"

#include "read_all.h"

int main(int argc, char **argv)
{
    size_t mem_size = 64 << 20, len;
    uint8_t *src, *mem;
    JSContext *ctx;
    JSValue val;
    int i = 1;

    if (argc == 4 && strcmp(argv[1], "--memory-limit") == 0) {
        mem_size = strtoul(argv[2], NULL, 10);
        i = 3;
    } else if (argc != 2) {
        fprintf(stderr, "usage: %s [--memory-limit BYTES] <script.js>\n", argv[0]);
        return 2;
    }
    src = read_all(argv[i], &len);
    mem = malloc(mem_size);
    if (!mem) { perror("malloc"); return 2; }
    ctx = JS_NewContext(mem, mem_size, &js_stdlib);
    val = JS_Parse(ctx, (const char *)src, len, "script.js", 0);
    if (!JS_IsException(val))
        val = JS_Run(ctx, val);
    fflush(stdout);
    if (JS_IsException(val)) {
        JSValue ex = ctx->current_exception;
        JSCStringBuf b1, b2;
        if (JS_IsError(ctx, ex)) {
            JSObject *p = JS_VALUE_TO_PTR(ex);
            const char *msg = JS_ToCString(ctx, p->u.error.message, &b1);
            const char *stack = p->u.error.stack != JS_NULL ? JS_ToCString(ctx, p->u.error.stack, &b2) : "";
            fprintf(stderr, "%s\n%s\n", msg ? msg : "", stack ? stack : "");
        } else {
            const char *s = JS_ToCString(ctx, ex, &b1);
            fprintf(stderr, "uncaught: %s\n", s ? s : "?");
        }
        return 1;
    }
    return 0;
}
