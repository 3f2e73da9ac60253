/* tsfdw micro engine: the component glue. One translation unit: the wit-bindgen C bindings'
 * header (engine.h, generated per variant), the MicroQuickJS engine (mquickjs.c, included so
 * its internals are visible), our built-ins, the JS value helpers and the ROM stdlib table.
 *
 * Imports: the prelude (engines/micro/prelude.js) calls __tsfdw_call(id, …) → host_call(),
 * which lowers the JS arguments, calls the wit-bindgen import wrapper and lifts the result.
 * Exports: each routine runs the guest's __tsfdw_guest.routines.<name> and turns any throw
 * into err(string); borrowed handles are dropped BEFORE the export returns; nothing traps.
 *
 * Build defines: TSFDW_WRAPPERS_V2 (1 for supabase:wrappers@0.2.0), TSFDW_UTILS_LEVEL (0: no
 * get-vault-secret-by-name/query-setting, 1: + get-vault-secret-by-name, 2: + query-setting),
 * TSFDW_HAS_HTTP/JWT/STATS/TIME/UTILS (1 when the variant imports that interface; the guest's
 * calls into one it does not import throw a TypeError). */
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "mquickjs.c"
#include "builtins.c"
#include "jsval.c"

JSValue tsfdw_host_call(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv);
#include "tsfdw_stdlib32.h"

/* ------------------------------------------------------------------ the bytecode slot */
/* Filled in per FDW by tools/build/micro/assemble.ts: the address and length of the data
 * segment holding the guest's bytecode, and the JS heap size. */
struct tsfdw_slot {
    char magic[16];
    uint32_t addr, len, arena;
};
__attribute__((used)) struct tsfdw_slot tsfdw_slot = { "tsfdw:bytecode:1", 0, 0, 0 };

/* ------------------------------------------------------------------ malloc */
/* A small allocator instead of wasi-libc's dlmalloc (12 KB of code, ~9 % of the engine: code
 * bytes are what the host's per-query compile pays for). The allocation pattern is simple: one
 * large JS heap for the instance's life, and short-lived buffers around host calls (request
 * copies, host results until lifted, JSON.parse input, error strings). Blocks carry a 16-byte
 * header; small sizes come from power-of-two classes (16 B … 64 KiB) with a free list each,
 * large blocks from a first-fit list without splitting (they are few and similar in size: pages
 * of API data), new memory from a bump pointer. The heap starts at __heap_base and stops at the
 * FDW's bytecode (a data segment at the engine's old memory end, assemble.ts), then continues in
 * memory.grow'n pages above the current memory size. */
extern unsigned char __heap_base;

typedef struct Block {
    size_t cap;         /* usable bytes */
    struct Block *next; /* free-list link while free */
    uint32_t pad[2];
} Block;

#define N_CLASSES 13 /* 16 B << 0 … 16 B << 12 = 64 KiB */
static Block *free_small[N_CLASSES];
static Block *free_large;
static uintptr_t bump, bump_end;

static int size_class(size_t n)
{
    int c = 0;
    size_t cap = 16;
    while (cap < n) {
        cap <<= 1;
        c++;
    }
    return c;
}

static void *bump_alloc(size_t total)
{
    if (bump == 0) {
        uintptr_t size = __builtin_wasm_memory_size(0) * 65536;
        bump = ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15;
        bump_end = (tsfdw_slot.addr != 0 && tsfdw_slot.addr < size) ? tsfdw_slot.addr : size;
    }
    if (total > bump_end - bump) {
        size_t pages = (total + 65535) / 65536;
        size_t old = __builtin_wasm_memory_grow(0, pages);
        if (old == (size_t)-1)
            return NULL;
        if (old * 65536 != bump_end)
            bump = old * 65536; /* not contiguous with the old top (the bytecode lies between) */
        bump_end = (old + pages) * 65536;
    }
    bump += total;
    return (void *)(bump - total);
}

void *malloc(size_t n)
{
    Block *b, **pp;
    size_t cap;
    if (n > ((size_t)1 << 31))
        return NULL;
    if (n <= ((size_t)16 << (N_CLASSES - 1))) {
        int c = size_class(n);
        cap = (size_t)16 << c;
        if ((b = free_small[c]) != NULL) {
            free_small[c] = b->next;
            return b + 1;
        }
    } else {
        cap = (n + 15) & ~(size_t)15;
        for (pp = &free_large; (b = *pp) != NULL; pp = &b->next) {
            if (b->cap >= cap && b->cap / 2 <= cap) { /* first fit, at most twice the size */
                *pp = b->next;
                return b + 1;
            }
        }
    }
    b = bump_alloc(sizeof(Block) + cap);
    if (b == NULL)
        return NULL;
    b->cap = cap;
    return b + 1;
}

void free(void *p)
{
    Block *b;
    /* NULL, or the canonical ABI's non-null pointer of an empty list/string (its alignment) */
    if ((uintptr_t)p < (uintptr_t)&__heap_base)
        return;
    b = (Block *)p - 1;
    if (b->cap <= ((size_t)16 << (N_CLASSES - 1))) {
        int c = size_class(b->cap);
        b->next = free_small[c];
        free_small[c] = b;
    } else {
        b->next = free_large;
        free_large = b;
    }
}

void *realloc(void *p, size_t n)
{
    void *q;
    if ((uintptr_t)p < (uintptr_t)&__heap_base)
        return malloc(n);
    if (n <= ((Block *)p - 1)->cap)
        return p;
    q = malloc(n);
    if (q != NULL) {
        memcpy(q, p, ((Block *)p - 1)->cap);
        free(p);
    }
    return q;
}

void *calloc(size_t a, size_t b)
{
    void *p;
    if (b != 0 && a > ((size_t)1 << 31) / b)
        return NULL;
    p = malloc(a * b);
    if (p != NULL)
        memset(p, 0, a * b);
    return p;
}

/* ------------------------------------------------------------------ state */
static JSContext *js;
static int js_state;          /* 0: not started, 1: ready, 2: failed */
static char *js_fail;         /* the start failure, reported by every export */
static size_t js_fail_len;
static JSGCRef routines_ref, ctx_proto_ref, row_proto_ref;

#if TSFDW_WRAPPERS_V2
#define N_CELL_TAGS 15
#define N_OPT_TAGS 4
#else
#define N_CELL_TAGS 13
#define N_OPT_TAGS 2
#endif
static const char *const cell_tags[] = { "bool", "i8", "i16", "f32", "i32", "f64", "i64", "numeric", "string",
                                         "date", "timestamp", "timestamptz", "json", "uuid", "other" };
static const char *const opt_tags[] = { "server", "table", "import-schema", "other" };
static const char *const method_tags[] = { "get", "post", "put", "patch", "delete" };
static const char *const metric_tags[] = { "create-times", "rows-in", "rows-out", "bytes-in", "bytes-out" };

static char *dup_mem(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static void set_fail(const char *prefix, const char *msg, size_t n)
{
    size_t p = strlen(prefix);
    char *d = malloc(p + n + 1);
    if (!d)
        return;
    memcpy(d, prefix, p);
    memcpy(d + p, msg, n);
    d[p + n] = 0;
    js_fail = d;
    js_fail_len = p + n;
}

static int start(void)
{
    volatile struct tsfdw_slot *slot = &tsfdw_slot;
    uint32_t addr = slot->addr, len = slot->len, arena = slot->arena;
    uint8_t *mem, *bc = (uint8_t *)(uintptr_t)addr;
    JSValue v, g;
    size_t n;
    char *m;

    if (js_state)
        return js_state == 1 ? 0 : -1;
    js_state = 2;
    if (len == 0) {
        set_fail("", "the micro engine holds no guest bytecode (build the FDW with tsfdw build --engine micro)", 88);
        return -1;
    }
    mem = malloc(arena);
    if (!mem) {
        static const char t[] = "out of memory: cannot allocate the guest's JavaScript heap (\"micro\": { \"memoryMiB\" } in fdw.json)";
        set_fail("", t, sizeof(t) - 1);
        return -1;
    }
    js = JS_NewContext(mem, arena, &js_stdlib);
    if (!JS_IsBytecode(bc, len) || JS_RelocateBytecode(js, bc, len)) {
        static const char t[] = "the guest bytecode is not valid for this engine";
        set_fail("", t, sizeof(t) - 1);
        return -1;
    }
    v = JS_LoadBytecode(js, bc);
    if (!JS_IsException(v))
        v = JS_Run(js, v);
    if (JS_IsException(v)) {
        m = exception_message(js, &n);
        if (m)
            set_fail("the guest script failed while loading: ", m, n);
        free(m);
        return -1;
    }
    g = JS_GetPropertyStr(js, JS_GetGlobalObject(js), "__tsfdw_guest");
    if (!JS_IsException(g) && is_object(js, g))
        g = JS_GetPropertyStr(js, g, "routines");
    if (JS_IsException(g) || !is_object(js, g)) {
        static const char t[] = "the guest script did not set __tsfdw_guest = { routines } (see engines/micro/README.md)";
        set_fail("", t, sizeof(t) - 1);
        return -1;
    }
    JS_AddGCRef(js, &routines_ref);
    routines_ref.val = g;
    JS_AddGCRef(js, &ctx_proto_ref);
    JS_AddGCRef(js, &row_proto_ref);
    g = JS_GetPropertyStr(js, JS_GetGlobalObject(js), "__tsfdw_rt");
    if (!JS_IsException(g) && is_object(js, g)) {
        JSGCRef g_ref;
        JS_PUSH_VALUE(js, g);
        ctx_proto_ref.val = JS_GetPropertyStr(js, g_ref.val, "contextProto");
        row_proto_ref.val = JS_GetPropertyStr(js, g_ref.val, "rowProto");
        JS_POP_VALUE(js, g);
    }
    if (!is_object(js, ctx_proto_ref.val) || !is_object(js, row_proto_ref.val)) {
        static const char t[] = "the micro engine prelude is missing (__tsfdw_rt)";
        set_fail("", t, sizeof(t) - 1);
        return -1;
    }
    js_state = 1;
    return 0;
}

/* ------------------------------------------------------------------ cells and friends */
static JSValue lift_cell(JSContext *ctx, const supabase_wrappers_types_cell_t *c)
{
    JSValue v;
    switch (c->tag) {
    case SUPABASE_WRAPPERS_TYPES_CELL_BOOL: v = JS_NewBool(c->val.bool_); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I8: v = JS_NewInt32(ctx, c->val.i8); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I16: v = JS_NewInt32(ctx, c->val.i16); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_F32: v = JS_NewFloat64(ctx, c->val.f32); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I32: v = JS_NewInt32(ctx, c->val.i32); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_F64: v = JS_NewFloat64(ctx, c->val.f64); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_NUMERIC: v = JS_NewFloat64(ctx, c->val.numeric); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I64:
    case SUPABASE_WRAPPERS_TYPES_CELL_DATE:
    case SUPABASE_WRAPPERS_TYPES_CELL_TIMESTAMP:
    case SUPABASE_WRAPPERS_TYPES_CELL_TIMESTAMPTZ:
        /* i64, date, timestamp and timestamptz share the representation */
        v = lift_i64(ctx, c->val.i64);
        break;
    default: /* string, json, uuid, other: strings */
        v = lift_string(ctx, c->val.string.ptr, c->val.string.len);
        break;
    }
    if (JS_IsException(v))
        return v;
    return lift_variant(ctx, cell_tags[c->tag], v);
}

/* `v` must be rooted by the caller (an argv slot or a GCRef). */
static int lower_cell(JSContext *ctx, JSValue v, const char *where, supabase_wrappers_types_cell_t *c)
{
    JSGCRef v_ref;
    JSValue val;
    int tag, r = -1;
    int64_t i;
    double d;
    JS_PUSH_VALUE(ctx, v);
    tag = lower_tag(ctx, v_ref.val, where, cell_tags, N_CELL_TAGS);
    if (tag < 0)
        goto done;
    c->tag = tag;
    val = get_field(ctx, v_ref.val, "val");
    if (JS_IsException(val))
        goto done;
    switch (tag) {
    case SUPABASE_WRAPPERS_TYPES_CELL_BOOL: r = lower_bool(ctx, val, where, &c->val.bool_); break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I8: r = lower_int(ctx, val, where, -128, 127, &i); c->val.i8 = i; break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I16: r = lower_int(ctx, val, where, -32768, 32767, &i); c->val.i16 = i; break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I32: r = lower_int(ctx, val, where, -2147483648.0, 2147483647.0, &i); c->val.i32 = i; break;
    case SUPABASE_WRAPPERS_TYPES_CELL_F32: r = lower_number(ctx, val, where, &d); c->val.f32 = (float)d; break;
    case SUPABASE_WRAPPERS_TYPES_CELL_F64: r = lower_number(ctx, val, where, &d); c->val.f64 = d; break;
    case SUPABASE_WRAPPERS_TYPES_CELL_NUMERIC: r = lower_number(ctx, val, where, &d); c->val.numeric = d; break;
    case SUPABASE_WRAPPERS_TYPES_CELL_I64:
    case SUPABASE_WRAPPERS_TYPES_CELL_DATE:
    case SUPABASE_WRAPPERS_TYPES_CELL_TIMESTAMP:
    case SUPABASE_WRAPPERS_TYPES_CELL_TIMESTAMPTZ:
        r = lower_i64(ctx, val, where, 0, (uint64_t *)&c->val.i64);
        break;
    default:
        r = lower_string(ctx, val, where, &c->val.string.ptr, &c->val.string.len);
        break;
    }
done:
    JS_POP_VALUE(ctx, v);
    return r;
}

/* option<cell>: null/undefined = none */
static int lower_opt_cell(JSContext *ctx, JSValue v, const char *where, supabase_wrappers_types_cell_t *c, int *is_some)
{
    if (JS_IsNull(v) || JS_IsUndefined(v)) {
        *is_some = 0;
        return 0;
    }
    *is_some = 1;
    return lower_cell(ctx, v, where, c);
}

static JSValue lift_cell_list(JSContext *ctx, const supabase_wrappers_types_cell_t *cells, size_t n)
{
    JSGCRef arr_ref;
    JSValue arr = JS_NewArray(ctx, n), v;
    size_t i;
    if (JS_IsException(arr))
        return arr;
    JS_PUSH_VALUE(ctx, arr);
    for (i = 0; i < n; i++) {
        v = lift_cell(ctx, &cells[i]);
        if (JS_IsException(v) || JS_IsException(JS_SetPropertyUint32(ctx, arr_ref.val, i, v))) {
            arr_ref.val = JS_EXCEPTION;
            break;
        }
    }
    JS_POP_VALUE(ctx, arr);
    return arr;
}

static int lower_options_type(JSContext *ctx, JSValue v, const char *where, supabase_wrappers_types_options_type_t *t)
{
    JSGCRef v_ref;
    int tag, r = 0;
    JS_PUSH_VALUE(ctx, v);
    tag = lower_tag(ctx, v_ref.val, where, opt_tags, N_OPT_TAGS);
    if (tag < 0)
        r = -1;
    else
        t->tag = tag;
#if TSFDW_WRAPPERS_V2
    if (tag == SUPABASE_WRAPPERS_TYPES_OPTIONS_TYPE_OTHER) {
        JSValue val = get_field(ctx, v_ref.val, "val");
        r = JS_IsException(val) ? -1 : lower_string(ctx, val, where, &t->val.other.ptr, &t->val.other.len);
    }
#endif
    JS_POP_VALUE(ctx, v);
    return r;
}

static JSValue lift_type_oid(JSContext *ctx, const supabase_wrappers_types_type_oid_t *t)
{
    static const char *const names[] = { "bool", "i8", "i16", "f32", "i32", "f64", "i64", "numeric", "string",
                                         "date", "timestamp", "timestamptz", "json", "uuid", "other" };
    JSValue val = JS_UNINITIALIZED;
#if TSFDW_WRAPPERS_V2
    if (t->tag == SUPABASE_WRAPPERS_TYPES_TYPE_OID_OTHER) {
        val = lift_string(ctx, t->val.other.ptr, t->val.other.len);
        if (JS_IsException(val))
            return val;
    }
#endif
    return lift_variant(ctx, names[t->tag], val);
}

/* ------------------------------------------------------------------ strings, lists, records */
static JSValue lift_string_free(JSContext *ctx, engine_string_t *s)
{
    JSValue v = lift_string(ctx, s->ptr, s->len);
    engine_string_free(s);
    return v;
}

static JSValue lift_string_list(JSContext *ctx, engine_list_string_t *l)
{
    JSGCRef arr_ref;
    JSValue arr = JS_NewArray(ctx, l->len), v;
    size_t i;
    if (!JS_IsException(arr)) {
        JS_PUSH_VALUE(ctx, arr);
        for (i = 0; i < l->len; i++) {
            v = lift_string(ctx, l->ptr[i].ptr, l->ptr[i].len);
            if (JS_IsException(v) || JS_IsException(JS_SetPropertyUint32(ctx, arr_ref.val, i, v))) {
                arr_ref.val = JS_EXCEPTION;
                break;
            }
        }
        JS_POP_VALUE(ctx, arr);
    }
    engine_list_string_free(l);
    return arr;
}

static JSValue lift_opt_string(JSContext *ctx, bool some, engine_string_t *s)
{
    if (!some)
        return JS_NULL;
    return lift_string_free(ctx, s);
}

#if TSFDW_HAS_HTTP || TSFDW_HAS_JWT
/* list<tuple<string, string>> from an array of [k, v] arrays (`v` rooted by the caller). */
static int lower_pairs(JSContext *ctx, JSValue v, const char *where, engine_tuple2_string_string_t **pptr, size_t *plen)
{
    JSGCRef v_ref, e_ref;
    JSValue e;
    uint32_t n, i;
    engine_tuple2_string_string_t *out;
    int r = -1;
    JS_PUSH_VALUE(ctx, v);
    e = JS_UNDEFINED;
    JS_PUSH_VALUE(ctx, e);
    if (array_len(ctx, v_ref.val, where, &n))
        goto done;
    out = tmp_alloc(ctx, (size_t)n * sizeof(*out));
    if (!out)
        goto done;
    for (i = 0; i < n; i++) {
        uint32_t m;
        e_ref.val = JS_GetPropertyUint32(ctx, v_ref.val, i);
        if (JS_IsException(e_ref.val) || array_len(ctx, e_ref.val, where, &m))
            goto done;
        if (m != 2) {
            type_error(ctx, where, "[name, value] pairs");
            goto done;
        }
        if (lower_string(ctx, JS_GetPropertyUint32(ctx, e_ref.val, 0), where, &out[i].f0.ptr, &out[i].f0.len) ||
            lower_string(ctx, JS_GetPropertyUint32(ctx, e_ref.val, 1), where, &out[i].f1.ptr, &out[i].f1.len))
            goto done;
    }
    *pptr = out;
    *plen = n;
    r = 0;
done:
    JS_POP_VALUE(ctx, e);
    JS_POP_VALUE(ctx, v);
    return r;
}

static JSValue lift_pairs(JSContext *ctx, engine_tuple2_string_string_t *p, size_t n)
{
    JSGCRef arr_ref, pair_ref;
    JSValue arr = JS_NewArray(ctx, n), pair, v;
    size_t i;
    if (JS_IsException(arr))
        return arr;
    JS_PUSH_VALUE(ctx, arr);
    pair = JS_UNDEFINED;
    JS_PUSH_VALUE(ctx, pair);
    for (i = 0; i < n; i++) {
        pair_ref.val = JS_NewArray(ctx, 2);
        if (JS_IsException(pair_ref.val))
            goto fail;
        v = lift_string(ctx, p[i].f0.ptr, p[i].f0.len);
        if (JS_IsException(v) || JS_IsException(JS_SetPropertyUint32(ctx, pair_ref.val, 0, v)))
            goto fail;
        v = lift_string(ctx, p[i].f1.ptr, p[i].f1.len);
        if (JS_IsException(v) || JS_IsException(JS_SetPropertyUint32(ctx, pair_ref.val, 1, v)))
            goto fail;
        if (JS_IsException(JS_SetPropertyUint32(ctx, arr_ref.val, i, pair_ref.val)))
            goto fail;
    }
    goto done;
fail:
    arr_ref.val = JS_EXCEPTION;
done:
    JS_POP_VALUE(ctx, pair);
    JS_POP_VALUE(ctx, arr);
    return arr;
}

#endif

#define FIELD(obj_ref, key, expr)                                                   \
    do {                                                                            \
        JSValue f_ = (expr);                                                        \
        if (JS_IsException(f_) || JS_IsException(JS_SetPropertyStr(ctx, obj_ref.val, key, f_))) \
            goto fail;                                                              \
    } while (0)

#if TSFDW_HAS_HTTP
static JSValue lift_response(JSContext *ctx, supabase_wrappers_http_response_t *r)
{
    JSGCRef o_ref;
    JSValue o = JS_NewObject(ctx);
    if (JS_IsException(o))
        return o;
    JS_PUSH_VALUE(ctx, o);
    FIELD(o_ref, "url", lift_string(ctx, r->url.ptr, r->url.len));
    FIELD(o_ref, "statusCode", JS_NewInt32(ctx, r->status_code));
    FIELD(o_ref, "headers", lift_pairs(ctx, r->headers.ptr, r->headers.len));
    FIELD(o_ref, "body", lift_string(ctx, r->body.ptr, r->body.len));
    goto done;
fail:
    o_ref.val = JS_EXCEPTION;
done:
    JS_POP_VALUE(ctx, o);
    return o;
}

/* A record field that must be present (`o` rooted by the caller). */
static JSValue req_field(JSContext *ctx, JSValue o, const char *key, const char *where)
{
    JSValue v = get_field(ctx, o, key);
    if (!JS_IsException(v) && JS_IsUndefined(v))
        return JS_ThrowTypeError(ctx, "%s: missing field `%s`", where, key);
    return v;
}

static int lower_request(JSContext *ctx, JSValue v, const char *where, supabase_wrappers_http_request_t *q)
{
    JSGCRef v_ref;
    JSValue f;
    int r = -1, tag;
    JS_PUSH_VALUE(ctx, v);
    if (!is_object(ctx, v_ref.val)) {
        type_error(ctx, where, "a request object { method, url, headers, body }");
        goto done;
    }
    f = req_field(ctx, v_ref.val, "method", where);
    if (JS_IsException(f) || (tag = lower_tag(ctx, f, "http request method", method_tags, 5)) < 0)
        goto done;
    q->method.tag = tag;
    f = req_field(ctx, v_ref.val, "url", where);
    if (JS_IsException(f) || lower_string(ctx, f, "http request url", &q->url.ptr, &q->url.len))
        goto done;
    f = req_field(ctx, v_ref.val, "headers", where);
    if (JS_IsException(f) || lower_pairs(ctx, f, "http request headers", &q->headers.ptr, &q->headers.len))
        goto done;
    f = req_field(ctx, v_ref.val, "body", where);
    if (JS_IsException(f) || lower_string(ctx, f, "http request body", &q->body.ptr, &q->body.len))
        goto done;
    r = 0;
done:
    JS_POP_VALUE(ctx, v);
    return r;
}

static int lower_response(JSContext *ctx, JSValue v, const char *where, supabase_wrappers_http_response_t *q)
{
    JSGCRef v_ref;
    JSValue f;
    int64_t code;
    int r = -1;
    JS_PUSH_VALUE(ctx, v);
    if (!is_object(ctx, v_ref.val)) {
        type_error(ctx, where, "a response object { url, statusCode, headers, body }");
        goto done;
    }
    f = req_field(ctx, v_ref.val, "url", where);
    if (JS_IsException(f) || lower_string(ctx, f, "http response url", &q->url.ptr, &q->url.len))
        goto done;
    f = req_field(ctx, v_ref.val, "statusCode", where);
    if (JS_IsException(f) || lower_int(ctx, f, "http response statusCode", 0, 65535, &code))
        goto done;
    q->status_code = code;
    f = req_field(ctx, v_ref.val, "headers", where);
    if (JS_IsException(f) || lower_pairs(ctx, f, "http response headers", &q->headers.ptr, &q->headers.len))
        goto done;
    f = req_field(ctx, v_ref.val, "body", where);
    if (JS_IsException(f) || lower_string(ctx, f, "http response body", &q->body.ptr, &q->body.len))
        goto done;
    r = 0;
done:
    JS_POP_VALUE(ctx, v);
    return r;
}

#endif

/* An array of the handles in a list<own<…>> (the prelude wraps them into class instances). */
static JSValue lift_handles(JSContext *ctx, const int32_t *h, size_t n)
{
    JSGCRef arr_ref;
    JSValue arr = JS_NewArray(ctx, n);
    size_t i;
    if (JS_IsException(arr))
        return arr;
    JS_PUSH_VALUE(ctx, arr);
    for (i = 0; i < n; i++) {
        if (JS_IsException(JS_SetPropertyUint32(ctx, arr_ref.val, i, JS_NewInt32(ctx, h[i])))) {
            arr_ref.val = JS_EXCEPTION;
            break;
        }
    }
    JS_POP_VALUE(ctx, arr);
    return arr;
}

static JSValue throw_host_error(JSContext *ctx, engine_string_t *err)
{
    /* an Error whose message is the host's err string, exactly (componentize-qjs does the same) */
    JSGCRef m_ref;
    JSValue m = lift_string(ctx, err->ptr, err->len), e;
    engine_string_free(err);
    if (JS_IsException(m))
        return m;
    JS_PUSH_VALUE(ctx, m);
    e = JS_ThrowError(ctx, JS_CLASS_ERROR, "%s", "");
    if (JS_IsException(e) && JS_IsError(ctx, ctx->current_exception)) {
        JSObject *p = JS_VALUE_TO_PTR(ctx->current_exception);
        p->u.error.message = m_ref.val;
    }
    JS_POP_VALUE(ctx, m);
    return JS_EXCEPTION;
}

/* ------------------------------------------------------------------ imports */
enum {
    FN_ROW_NEW, FN_ROW_COLS, FN_ROW_CELLS, FN_ROW_PUSH,
    FN_COLUMN_NEW, FN_COLUMN_NAME, FN_COLUMN_NUM, FN_COLUMN_TYPE_OID,
    FN_QUAL_NEW, FN_QUAL_FIELD, FN_QUAL_OPERATOR, FN_QUAL_VALUE, FN_QUAL_USE_OR, FN_QUAL_PARAM, FN_QUAL_DEPARSE,
    FN_SORT_NEW, FN_SORT_FIELD, FN_SORT_FIELD_NO, FN_SORT_REVERSED, FN_SORT_NULLS_FIRST, FN_SORT_COLLATE, FN_SORT_DEPARSE, FN_SORT_DEPARSE_COLLATE,
    FN_LIMIT_NEW, FN_LIMIT_COUNT, FN_LIMIT_OFFSET, FN_LIMIT_DEPARSE,
    FN_OPTIONS_NEW, FN_OPTIONS_GET, FN_OPTIONS_REQUIRE, FN_OPTIONS_REQUIRE_OR,
    FN_CONTEXT_NEW, FN_CONTEXT_GET_OPTIONS, FN_CONTEXT_GET_QUALS, FN_CONTEXT_GET_COLUMNS, FN_CONTEXT_GET_SORTS, FN_CONTEXT_GET_LIMIT,
    FN_DROP_ROW, FN_DROP_COLUMN, FN_DROP_QUAL, FN_DROP_SORT, FN_DROP_LIMIT, FN_DROP_OPTIONS, FN_DROP_CONTEXT,
    FN_HTTP_GET, FN_HTTP_POST, FN_HTTP_PUT, FN_HTTP_PATCH, FN_HTTP_DELETE, FN_HTTP_ERROR_FOR_STATUS,
    FN_JWT_ENCODE,
    FN_STATS_INC, FN_STATS_GET_METADATA, FN_STATS_SET_METADATA,
    FN_TIME_EPOCH_SECS, FN_TIME_PARSE_RFC3339, FN_TIME_PARSE_STR, FN_TIME_TO_RFC3339, FN_TIME_SLEEP,
    FN_UTILS_INFO, FN_UTILS_NOTICE, FN_UTILS_WARNING, FN_UTILS_ERROR, FN_UTILS_CELL_TO_STRING,
    FN_UTILS_VAULT, FN_UTILS_VAULT_BY_NAME, FN_UTILS_QUERY_SETTING,
    FN_COUNT
};

#define ARG_STR(i, s, where)                                                  \
    if (lower_string(ctx, a[i], where, &(s).ptr, &(s).len))                   \
        return JS_EXCEPTION
#define ARG_U32(i, out, where)                                                \
    do {                                                                      \
        int64_t t_;                                                           \
        if (lower_int(ctx, a[i], where, 0, 4294967295.0, &t_))               \
            return JS_EXCEPTION;                                              \
        out = (uint32_t)t_;                                                   \
    } while (0)
#define HANDLE(i) ((int32_t)JS_VALUE_GET_INT(a[i]))

static JSValue host_call(JSContext *ctx, int id, JSValue *a)
{
    engine_string_t s1, s2, ret;
    uint32_t u;

    /* resource methods: a[0] is the handle (the prelude checked it is a live number) */
    if (id != FN_ROW_NEW && id != FN_COLUMN_NEW && id != FN_QUAL_NEW && id != FN_SORT_NEW && id != FN_LIMIT_NEW &&
        id != FN_OPTIONS_NEW && id != FN_CONTEXT_NEW && id < FN_HTTP_GET && !JS_IsInt(a[0]))
        return JS_ThrowTypeError(ctx, "invalid resource handle");

    switch (id) {
    /* ---- row */
    case FN_ROW_NEW:
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_row().__handle);
    case FN_ROW_COLS: {
        engine_list_string_t l;
        supabase_wrappers_types_method_row_cols((supabase_wrappers_types_borrow_row_t){ HANDLE(0) }, &l);
        return lift_string_list(ctx, &l);
    }
    case FN_ROW_CELLS: {
        supabase_wrappers_types_list_option_cell_t l;
        JSGCRef arr_ref;
        JSValue arr, v;
        size_t i;
        supabase_wrappers_types_method_row_cells((supabase_wrappers_types_borrow_row_t){ HANDLE(0) }, &l);
        arr = JS_NewArray(ctx, l.len);
        if (!JS_IsException(arr)) {
            JS_PUSH_VALUE(ctx, arr);
            for (i = 0; i < l.len; i++) {
                v = l.ptr[i].is_some ? lift_cell(ctx, &l.ptr[i].val) : JS_NULL;
                if (JS_IsException(v) || JS_IsException(JS_SetPropertyUint32(ctx, arr_ref.val, i, v))) {
                    arr_ref.val = JS_EXCEPTION;
                    break;
                }
            }
            JS_POP_VALUE(ctx, arr);
        }
        supabase_wrappers_types_list_option_cell_free(&l);
        return arr;
    }
    case FN_ROW_PUSH: {
        supabase_wrappers_types_cell_t c;
        int some;
        if (lower_opt_cell(ctx, a[1], "row.push(cell)", &c, &some))
            return JS_EXCEPTION;
        supabase_wrappers_types_method_row_push((supabase_wrappers_types_borrow_row_t){ HANDLE(0) }, some ? &c : NULL);
        return JS_UNDEFINED;
    }
    /* ---- column */
    case FN_COLUMN_NEW:
        ARG_U32(0, u, "new Column(index)");
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_column(u).__handle);
    case FN_COLUMN_NAME:
        supabase_wrappers_types_method_column_name((supabase_wrappers_types_borrow_column_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    case FN_COLUMN_NUM:
        return JS_NewUint32(ctx, supabase_wrappers_types_method_column_num((supabase_wrappers_types_borrow_column_t){ HANDLE(0) }));
    case FN_COLUMN_TYPE_OID: {
        supabase_wrappers_types_type_oid_t t;
        JSValue v;
        supabase_wrappers_types_method_column_type_oid((supabase_wrappers_types_borrow_column_t){ HANDLE(0) }, &t);
        v = lift_type_oid(ctx, &t);
        supabase_wrappers_types_type_oid_free(&t);
        return v;
    }
    /* ---- qual */
    case FN_QUAL_NEW:
        ARG_U32(0, u, "new Qual(index)");
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_qual(u).__handle);
    case FN_QUAL_FIELD:
        supabase_wrappers_types_method_qual_field((supabase_wrappers_types_borrow_qual_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    case FN_QUAL_OPERATOR:
        supabase_wrappers_types_method_qual_operator((supabase_wrappers_types_borrow_qual_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    case FN_QUAL_VALUE: {
        supabase_wrappers_types_value_t val;
        JSValue v;
        supabase_wrappers_types_method_qual_value((supabase_wrappers_types_borrow_qual_t){ HANDLE(0) }, &val);
        if (val.tag == SUPABASE_WRAPPERS_TYPES_VALUE_CELL) {
            v = lift_cell(ctx, &val.val.cell);
            v = JS_IsException(v) ? v : lift_variant(ctx, "cell", v);
        } else {
            v = lift_cell_list(ctx, val.val.array.ptr, val.val.array.len);
            v = JS_IsException(v) ? v : lift_variant(ctx, "array", v);
        }
        supabase_wrappers_types_value_free(&val);
        return v;
    }
    case FN_QUAL_USE_OR:
        return JS_NewBool(supabase_wrappers_types_method_qual_use_or((supabase_wrappers_types_borrow_qual_t){ HANDLE(0) }));
    case FN_QUAL_PARAM: {
        supabase_wrappers_types_param_t p;
        JSGCRef o_ref;
        JSValue o;
        if (!supabase_wrappers_types_method_qual_param((supabase_wrappers_types_borrow_qual_t){ HANDLE(0) }, &p))
            return JS_NULL;
        o = JS_NewObject(ctx);
        if (JS_IsException(o))
            return o;
        JS_PUSH_VALUE(ctx, o);
        FIELD(o_ref, "id", JS_NewUint32(ctx, p.id));
        FIELD(o_ref, "typeOid", JS_NewUint32(ctx, p.type_oid));
        goto param_done;
    fail:
        o_ref.val = JS_EXCEPTION;
    param_done:
        JS_POP_VALUE(ctx, o);
        return o;
    }
    case FN_QUAL_DEPARSE:
        supabase_wrappers_types_method_qual_deparse((supabase_wrappers_types_borrow_qual_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    /* ---- sort */
    case FN_SORT_NEW:
        ARG_U32(0, u, "new Sort(index)");
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_sort(u).__handle);
    case FN_SORT_FIELD:
        supabase_wrappers_types_method_sort_field((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    case FN_SORT_FIELD_NO:
        return JS_NewUint32(ctx, supabase_wrappers_types_method_sort_field_no((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }));
    case FN_SORT_REVERSED:
        return JS_NewBool(supabase_wrappers_types_method_sort_reversed((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }));
    case FN_SORT_NULLS_FIRST:
        return JS_NewBool(supabase_wrappers_types_method_sort_nulls_first((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }));
    case FN_SORT_COLLATE: {
        bool some = supabase_wrappers_types_method_sort_collate((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }, &ret);
        return lift_opt_string(ctx, some, &ret);
    }
    case FN_SORT_DEPARSE:
        supabase_wrappers_types_method_sort_deparse((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    case FN_SORT_DEPARSE_COLLATE:
        supabase_wrappers_types_method_sort_deparse_with_collate((supabase_wrappers_types_borrow_sort_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    /* ---- limit */
    case FN_LIMIT_NEW:
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_limit().__handle);
    case FN_LIMIT_COUNT:
        return lift_i64(ctx, supabase_wrappers_types_method_limit_count((supabase_wrappers_types_borrow_limit_t){ HANDLE(0) }));
    case FN_LIMIT_OFFSET:
        return lift_i64(ctx, supabase_wrappers_types_method_limit_offset((supabase_wrappers_types_borrow_limit_t){ HANDLE(0) }));
    case FN_LIMIT_DEPARSE:
        supabase_wrappers_types_method_limit_deparse((supabase_wrappers_types_borrow_limit_t){ HANDLE(0) }, &ret);
        return lift_string_free(ctx, &ret);
    /* ---- options */
    case FN_OPTIONS_NEW: {
        supabase_wrappers_types_options_type_t t;
        if (lower_options_type(ctx, a[0], "new Options(optionsType)", &t))
            return JS_EXCEPTION;
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_options(&t).__handle);
    }
    case FN_OPTIONS_GET: {
        bool some;
        ARG_STR(1, s1, "options.get(key)");
        some = supabase_wrappers_types_method_options_get((supabase_wrappers_types_borrow_options_t){ HANDLE(0) }, &s1, &ret);
        return lift_opt_string(ctx, some, &ret);
    }
    case FN_OPTIONS_REQUIRE: {
        supabase_wrappers_types_fdw_error_t err;
        ARG_STR(1, s1, "options.require(key)");
        if (!supabase_wrappers_types_method_options_require((supabase_wrappers_types_borrow_options_t){ HANDLE(0) }, &s1, &ret, &err))
            return throw_host_error(ctx, &err);
        return lift_string_free(ctx, &ret);
    }
    case FN_OPTIONS_REQUIRE_OR:
        ARG_STR(1, s1, "options.requireOr(key, default)");
        ARG_STR(2, s2, "options.requireOr(key, default)");
        supabase_wrappers_types_method_options_require_or((supabase_wrappers_types_borrow_options_t){ HANDLE(0) }, &s1, &s2, &ret);
        return lift_string_free(ctx, &ret);
    /* ---- context */
    case FN_CONTEXT_NEW:
        return JS_NewInt32(ctx, supabase_wrappers_types_constructor_context().__handle);
    case FN_CONTEXT_GET_OPTIONS: {
        supabase_wrappers_types_options_type_t t;
        if (lower_options_type(ctx, a[1], "ctx.getOptions(optionsType)", &t))
            return JS_EXCEPTION;
        return JS_NewInt32(ctx, supabase_wrappers_types_method_context_get_options((supabase_wrappers_types_borrow_context_t){ HANDLE(0) }, &t).__handle);
    }
    case FN_CONTEXT_GET_QUALS: {
        supabase_wrappers_types_list_own_qual_t l;
        JSValue v;
        supabase_wrappers_types_method_context_get_quals((supabase_wrappers_types_borrow_context_t){ HANDLE(0) }, &l);
        v = lift_handles(ctx, (const int32_t *)l.ptr, l.len);
        if (l.len > 0) /* an empty list's pointer is only its alignment, not an allocation */
            free(l.ptr);
        return v;
    }
    case FN_CONTEXT_GET_COLUMNS: {
        supabase_wrappers_types_list_own_column_t l;
        JSValue v;
        supabase_wrappers_types_method_context_get_columns((supabase_wrappers_types_borrow_context_t){ HANDLE(0) }, &l);
        v = lift_handles(ctx, (const int32_t *)l.ptr, l.len);
        if (l.len > 0) /* an empty list's pointer is only its alignment, not an allocation */
            free(l.ptr);
        return v;
    }
    case FN_CONTEXT_GET_SORTS: {
        supabase_wrappers_types_list_own_sort_t l;
        JSValue v;
        supabase_wrappers_types_method_context_get_sorts((supabase_wrappers_types_borrow_context_t){ HANDLE(0) }, &l);
        v = lift_handles(ctx, (const int32_t *)l.ptr, l.len);
        if (l.len > 0) /* an empty list's pointer is only its alignment, not an allocation */
            free(l.ptr);
        return v;
    }
    case FN_CONTEXT_GET_LIMIT: {
        supabase_wrappers_types_own_limit_t h;
        if (!supabase_wrappers_types_method_context_get_limit((supabase_wrappers_types_borrow_context_t){ HANDLE(0) }, &h))
            return JS_NULL;
        return JS_NewInt32(ctx, h.__handle);
    }
    /* ---- drops of owned handles */
    case FN_DROP_ROW: supabase_wrappers_types_row_drop_own((supabase_wrappers_types_own_row_t){ HANDLE(0) }); return JS_UNDEFINED;
    case FN_DROP_COLUMN: supabase_wrappers_types_column_drop_own((supabase_wrappers_types_own_column_t){ HANDLE(0) }); return JS_UNDEFINED;
    case FN_DROP_QUAL: supabase_wrappers_types_qual_drop_own((supabase_wrappers_types_own_qual_t){ HANDLE(0) }); return JS_UNDEFINED;
    case FN_DROP_SORT: supabase_wrappers_types_sort_drop_own((supabase_wrappers_types_own_sort_t){ HANDLE(0) }); return JS_UNDEFINED;
    case FN_DROP_LIMIT: supabase_wrappers_types_limit_drop_own((supabase_wrappers_types_own_limit_t){ HANDLE(0) }); return JS_UNDEFINED;
    case FN_DROP_OPTIONS: supabase_wrappers_types_options_drop_own((supabase_wrappers_types_own_options_t){ HANDLE(0) }); return JS_UNDEFINED;
    case FN_DROP_CONTEXT: supabase_wrappers_types_context_drop_own((supabase_wrappers_types_own_context_t){ HANDLE(0) }); return JS_UNDEFINED;
#if TSFDW_HAS_HTTP
    /* ---- http */
    case FN_HTTP_GET:
    case FN_HTTP_POST:
    case FN_HTTP_PUT:
    case FN_HTTP_PATCH:
    case FN_HTTP_DELETE: {
        supabase_wrappers_http_request_t q;
        supabase_wrappers_http_response_t r;
        supabase_wrappers_http_http_error_t err;
        bool ok;
        JSValue v;
        if (lower_request(ctx, a[0], "http request", &q))
            return JS_EXCEPTION;
        switch (id) {
        case FN_HTTP_GET: ok = supabase_wrappers_http_get(&q, &r, &err); break;
        case FN_HTTP_POST: ok = supabase_wrappers_http_post(&q, &r, &err); break;
        case FN_HTTP_PUT: ok = supabase_wrappers_http_put(&q, &r, &err); break;
        case FN_HTTP_PATCH: ok = supabase_wrappers_http_patch(&q, &r, &err); break;
        default: ok = supabase_wrappers_http_delete(&q, &r, &err); break;
        }
        tmp_free_all(); /* the request's copies: the response may be large, free early */
        if (!ok)
            return throw_host_error(ctx, &err);
        v = lift_response(ctx, &r);
        supabase_wrappers_http_response_free(&r);
        return v;
    }
    case FN_HTTP_ERROR_FOR_STATUS: {
        supabase_wrappers_http_response_t r;
        supabase_wrappers_http_http_error_t err;
        if (lower_response(ctx, a[0], "http.errorForStatus(response)", &r))
            return JS_EXCEPTION;
        if (!supabase_wrappers_http_error_for_status(&r, &err))
            return throw_host_error(ctx, &err);
        return JS_UNDEFINED;
    }
#endif
#if TSFDW_HAS_JWT
    /* ---- jwt */
    case FN_JWT_ENCODE: {
        engine_list_tuple2_string_string_t payload;
        supabase_wrappers_jwt_jwt_error_t err;
        if (lower_pairs(ctx, a[0], "jwt.encode(payload)", &payload.ptr, &payload.len))
            return JS_EXCEPTION;
        ARG_STR(1, s1, "jwt.encode(…, algo)");
        ARG_STR(2, s2, "jwt.encode(…, key)");
        ARG_U32(3, u, "jwt.encode(…, ttlHours)");
        if (!supabase_wrappers_jwt_encode(&payload, &s1, &s2, u, &ret, &err))
            return throw_host_error(ctx, &err);
        return lift_string_free(ctx, &ret);
    }
#endif
#if TSFDW_HAS_STATS
    /* ---- stats */
    case FN_STATS_INC: {
        supabase_wrappers_stats_metric_t m;
        uint64_t inc;
        int tag;
        ARG_STR(0, s1, "stats.incStats(fdwName, …)");
        tag = lower_tag(ctx, a[1], "stats.incStats(…, metric)", metric_tags, 5);
        if (tag < 0)
            return JS_EXCEPTION;
        m.tag = tag;
        if (lower_i64(ctx, a[2], "stats.incStats(…, inc)", 0, &inc))
            return JS_EXCEPTION;
        supabase_wrappers_stats_inc_stats(&s1, &m, (int64_t)inc);
        return JS_UNDEFINED;
    }
    case FN_STATS_GET_METADATA: {
        bool some;
        ARG_STR(0, s1, "stats.getMetadata(fdwName)");
        some = supabase_wrappers_stats_get_metadata(&s1, &ret);
        return lift_opt_string(ctx, some, &ret);
    }
    case FN_STATS_SET_METADATA: {
        int some = !(JS_IsNull(a[1]) || JS_IsUndefined(a[1]));
        ARG_STR(0, s1, "stats.setMetadata(fdwName, …)");
        if (some) {
            ARG_STR(1, s2, "stats.setMetadata(…, metadata)");
        }
        supabase_wrappers_stats_set_metadata(&s1, some ? &s2 : NULL);
        return JS_UNDEFINED;
    }
#endif
#if TSFDW_HAS_TIME
    /* ---- time */
    case FN_TIME_EPOCH_SECS:
        return lift_i64(ctx, supabase_wrappers_time_epoch_secs());
    case FN_TIME_PARSE_RFC3339: {
        int64_t t;
        supabase_wrappers_time_time_error_t err;
        ARG_STR(0, s1, "time.parseFromRfc3339(s)");
        if (!supabase_wrappers_time_parse_from_rfc3339(&s1, &t, &err))
            return throw_host_error(ctx, &err);
        return lift_i64(ctx, t);
    }
    case FN_TIME_PARSE_STR: {
        int64_t t;
        supabase_wrappers_time_time_error_t err;
        ARG_STR(0, s1, "time.parseFromStr(s, fmt)");
        ARG_STR(1, s2, "time.parseFromStr(s, fmt)");
        if (!supabase_wrappers_time_parse_from_str(&s1, &s2, &t, &err))
            return throw_host_error(ctx, &err);
        return lift_i64(ctx, t);
    }
    case FN_TIME_TO_RFC3339: {
        uint64_t t;
        supabase_wrappers_time_time_error_t err;
        if (lower_i64(ctx, a[0], "time.epochMsToRfc3339(micros)", 0, &t))
            return JS_EXCEPTION;
        if (!supabase_wrappers_time_epoch_ms_to_rfc3339((int64_t)t, &ret, &err))
            return throw_host_error(ctx, &err);
        return lift_string_free(ctx, &ret);
    }
    case FN_TIME_SLEEP: {
        uint64_t ms;
        if (lower_i64(ctx, a[0], "time.sleep(millis)", 1, &ms))
            return JS_EXCEPTION;
        supabase_wrappers_time_sleep(ms);
        return JS_UNDEFINED;
    }
#endif
#if TSFDW_HAS_UTILS
    /* ---- utils */
    case FN_UTILS_INFO:
    case FN_UTILS_NOTICE:
    case FN_UTILS_WARNING:
    case FN_UTILS_ERROR:
        ARG_STR(0, s1, "utils.report*(msg)");
        if (id == FN_UTILS_INFO) supabase_wrappers_utils_report_info(&s1);
        else if (id == FN_UTILS_NOTICE) supabase_wrappers_utils_report_notice(&s1);
        else if (id == FN_UTILS_WARNING) supabase_wrappers_utils_report_warning(&s1);
        else supabase_wrappers_utils_report_error(&s1);
        return JS_UNDEFINED;
    case FN_UTILS_CELL_TO_STRING: {
        supabase_wrappers_types_cell_t c;
        int some;
        if (lower_opt_cell(ctx, a[0], "utils.cellToString(cell)", &c, &some))
            return JS_EXCEPTION;
        supabase_wrappers_utils_cell_to_string(some ? &c : NULL, &ret);
        return lift_string_free(ctx, &ret);
    }
    case FN_UTILS_VAULT: {
        bool some;
        ARG_STR(0, s1, "utils.getVaultSecret(secretId)");
        some = supabase_wrappers_utils_get_vault_secret(&s1, &ret);
        return lift_opt_string(ctx, some, &ret);
    }
    case FN_UTILS_VAULT_BY_NAME: {
#if TSFDW_UTILS_LEVEL >= 1
        bool some;
        ARG_STR(0, s1, "utils.getVaultSecretByName(secretName)");
        some = supabase_wrappers_utils_get_vault_secret_by_name(&s1, &ret);
        return lift_opt_string(ctx, some, &ret);
#else
        return JS_ThrowTypeError(ctx, "utils.getVaultSecretByName is not imported by this component (the build did not see the guest use it)");
#endif
    }
    case FN_UTILS_QUERY_SETTING: {
#if TSFDW_UTILS_LEVEL >= 2
        bool some;
        ARG_STR(0, s1, "utils.querySetting(name)");
        some = supabase_wrappers_utils_query_setting(&s1, &ret);
        return lift_opt_string(ctx, some, &ret);
#else
        return JS_ThrowTypeError(ctx, "utils.querySetting is not imported by this component (the build did not see the guest use it)");
#endif
    }
#endif
    default:
        if (id >= FN_HTTP_GET && id < FN_COUNT)
            return JS_ThrowTypeError(ctx, "this host function's interface is not imported by this component (the build did not see the guest import it)");
        return JS_ThrowTypeError(ctx, "__tsfdw_call: unknown host function %d", id);
    }
}

JSValue tsfdw_host_call(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSValue r;
    if (!JS_IsInt(argv[0]))
        return JS_ThrowTypeError(ctx, "__tsfdw_call: bad function id");
    r = host_call(ctx, JS_VALUE_GET_INT(argv[0]), argv + 1);
    tmp_free_all();
    return r;
}

/* ------------------------------------------------------------------ exports */
/* The error string of the current exception (malloc'ed, freed by the post-return function). */
static void take_error(engine_string_t *err)
{
    size_t n;
    char *m = exception_message(js, &n);
    if (m && n == 13 && memcmp(m, "out of memory", 13) == 0) {
        static const char t[] = "out of memory: the guest's JavaScript heap is full (raise \"micro\": { \"memoryMiB\" } in fdw.json, or read smaller pages)";
        free(m);
        m = dup_mem(t, sizeof(t) - 1);
        n = sizeof(t) - 1;
    }
    if (!m) {
        static const char t[] = "out of memory";
        m = dup_mem(t, sizeof(t) - 1);
        n = m ? sizeof(t) - 1 : 0;
    }
    err->ptr = (uint8_t *)m;
    err->len = n;
}

static void start_error(engine_string_t *err)
{
    err->ptr = (uint8_t *)dup_mem(js_fail ? js_fail : "the guest failed to start", js_fail ? js_fail_len : 25);
    err->len = err->ptr ? (js_fail ? js_fail_len : 25) : 0;
}

/* A borrowed resource as a JS object whose handle the glue revokes after the call. */
static JSValue lend(JSContext *ctx, JSGCRef *proto_ref, int32_t h)
{
    JSGCRef o_ref;
    JSValue o = JS_NewObjectProtoClass(ctx, proto_ref->val, JS_CLASS_OBJECT, 0), r;
    if (JS_IsException(o))
        return o;
    JS_PUSH_VALUE(ctx, o);
    r = JS_SetPropertyStr(ctx, o_ref.val, "__tsfdw_h", JS_NewInt32(ctx, h));
    JS_POP_VALUE(ctx, o);
    return JS_IsException(r) ? r : o;
}

static void revoke(JSContext *ctx, JSValue o)
{
    JSValue saved = ctx->current_exception;
    if (is_object(ctx, o))
        JS_SetPropertyStr(ctx, o, "__tsfdw_h", JS_NewInt32(ctx, -1));
    ctx->current_exception = saved;
}

enum { ARG_NONE, ARG_CELL, ARG_STMT };

/* Calls routines[name](ctx [, extra] [, row]) and returns its result (or JS_EXCEPTION).
 * ctx_h/row_h are the borrowed handles (-1: absent); both are revoked and dropped before this
 * returns. `extra` is the update/delete rowid cell or the import statement. */
static JSValue call_routine(const char *name, int32_t ctx_h, int32_t row_h, int extra_kind, const void *extra)
{
    JSContext *ctx = js;
    JSGCRef f_ref, c_ref, r_ref, x_ref, res_ref;
    JSValue f, c = JS_UNDEFINED, r = JS_UNDEFINED, x = JS_UNDEFINED, res = JS_EXCEPTION;
    int argc = 0;

    f = JS_GetPropertyStr(ctx, routines_ref.val, name);
    JS_PUSH_VALUE(ctx, f);
    JS_PUSH_VALUE(ctx, c);
    JS_PUSH_VALUE(ctx, r);
    JS_PUSH_VALUE(ctx, x);
    JS_PUSH_VALUE(ctx, res);
    if (JS_IsException(f_ref.val))
        goto out;
    if (!JS_IsFunction(ctx, f_ref.val)) {
        JS_ThrowTypeError(ctx, "the guest's routines object has no function %s", name);
        goto out;
    }
    if (ctx_h >= 0) {
        c_ref.val = lend(ctx, &ctx_proto_ref, ctx_h);
        if (JS_IsException(c_ref.val))
            goto out;
        argc = 1;
    }
    if (extra_kind == ARG_CELL) {
        x_ref.val = lift_cell(ctx, (const supabase_wrappers_types_cell_t *)extra);
        if (JS_IsException(x_ref.val))
            goto out;
        argc = 2;
    }
#if TSFDW_WRAPPERS_V2
    else if (extra_kind == ARG_STMT) {
        const supabase_wrappers_types_import_foreign_schema_stmt_t *s = extra;
        static const char *const lt[] = { "all", "limit-to", "except" };
        JSGCRef o_ref;
        JSValue o = JS_NewObject(ctx);
        if (JS_IsException(o))
            goto out;
        JS_PUSH_VALUE(ctx, o);
        FIELD(o_ref, "serverName", lift_string(ctx, s->server_name.ptr, s->server_name.len));
        FIELD(o_ref, "remoteSchema", lift_string(ctx, s->remote_schema.ptr, s->remote_schema.len));
        FIELD(o_ref, "localSchema", lift_string(ctx, s->local_schema.ptr, s->local_schema.len));
        FIELD(o_ref, "listType", lift_variant(ctx, lt[s->list_type.tag], JS_UNINITIALIZED));
        {
            engine_list_string_t copy = s->table_list; /* lift without freeing: the caller frees the stmt */
            JSGCRef arr_ref;
            JSValue arr = JS_NewArray(ctx, copy.len), v;
            size_t i;
            if (JS_IsException(arr))
                goto fail;
            JS_PUSH_VALUE(ctx, arr);
            for (i = 0; i < copy.len; i++) {
                v = lift_string(ctx, copy.ptr[i].ptr, copy.ptr[i].len);
                if (JS_IsException(v) || JS_IsException(JS_SetPropertyUint32(ctx, arr_ref.val, i, v))) {
                    arr_ref.val = JS_EXCEPTION;
                    break;
                }
            }
            JS_POP_VALUE(ctx, arr);
            FIELD(o_ref, "tableList", arr);
        }
        x_ref.val = o_ref.val;
        JS_POP_VALUE(ctx, o);
        argc = 2;
        goto stmt_done;
    fail:
        JS_POP_VALUE(ctx, o);
        goto out;
    stmt_done:;
    }
#endif
    if (row_h >= 0) {
        r_ref.val = lend(ctx, &row_proto_ref, row_h);
        if (JS_IsException(r_ref.val))
            goto out;
        argc++;
    }
    if (JS_StackCheck(ctx, argc + 2))
        goto out;
    /* arguments are pushed last first */
    if (row_h >= 0)
        JS_PushArg(ctx, r_ref.val);
    if (extra_kind != ARG_NONE)
        JS_PushArg(ctx, x_ref.val);
    if (ctx_h >= 0)
        JS_PushArg(ctx, c_ref.val);
    JS_PushArg(ctx, f_ref.val);
    JS_PushArg(ctx, routines_ref.val);
    res_ref.val = JS_Call(ctx, argc);
out:
    /* the lent objects stop working, and the borrows end here, before the export returns */
    revoke(ctx, c_ref.val);
    revoke(ctx, r_ref.val);
    if (ctx_h >= 0)
        supabase_wrappers_types_context_drop_borrow((supabase_wrappers_types_borrow_context_t){ ctx_h });
    if (row_h >= 0)
        supabase_wrappers_types_row_drop_borrow((supabase_wrappers_types_borrow_row_t){ row_h });
    JS_POP_VALUE(ctx, res);
    JS_POP_VALUE(ctx, x);
    JS_POP_VALUE(ctx, r);
    JS_POP_VALUE(ctx, c);
    JS_POP_VALUE(ctx, f);
    return res;
}

/* fdw-result routines: ok unless the routine threw. */
static bool void_routine(const char *name, int32_t ctx_h, int32_t row_h, int extra_kind, const void *extra, engine_string_t *err)
{
    JSValue v;
    if (start()) {
        if (ctx_h >= 0)
            supabase_wrappers_types_context_drop_borrow((supabase_wrappers_types_borrow_context_t){ ctx_h });
        if (row_h >= 0)
            supabase_wrappers_types_row_drop_borrow((supabase_wrappers_types_borrow_row_t){ row_h });
        start_error(err);
        return false;
    }
    v = call_routine(name, ctx_h, row_h, extra_kind, extra);
    if (JS_IsException(v)) {
        take_error(err);
        return false;
    }
    return true;
}

void exports_supabase_wrappers_routines_host_version_requirement(engine_string_t *ret)
{
    static const char fallback[] = "^0.1.0";
    JSValue v;
    uint8_t *p;
    size_t n;
    if (start() == 0) {
        v = call_routine("hostVersionRequirement", -1, -1, ARG_NONE, NULL);
        if (!JS_IsException(v) && lower_string(js, v, "hostVersionRequirement()", &p, &n) == 0) {
            ret->ptr = (uint8_t *)dup_mem((const char *)p, n);
            ret->len = ret->ptr ? n : 0;
            tmp_free_all();
            if (ret->ptr)
                return;
        }
        js->current_exception = JS_NULL;
        tmp_free_all();
    }
    /* never trap: init reports what went wrong */
    ret->ptr = (uint8_t *)dup_mem(fallback, sizeof(fallback) - 1);
    ret->len = ret->ptr ? sizeof(fallback) - 1 : 0;
}

#define CTX(c) ((c).__handle)

bool exports_supabase_wrappers_routines_init(exports_supabase_wrappers_routines_borrow_context_t ctx, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("init", CTX(ctx), -1, ARG_NONE, NULL, err);
}
bool exports_supabase_wrappers_routines_begin_scan(exports_supabase_wrappers_routines_borrow_context_t ctx, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("beginScan", CTX(ctx), -1, ARG_NONE, NULL, err);
}
bool exports_supabase_wrappers_routines_re_scan(exports_supabase_wrappers_routines_borrow_context_t ctx, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("reScan", CTX(ctx), -1, ARG_NONE, NULL, err);
}
bool exports_supabase_wrappers_routines_end_scan(exports_supabase_wrappers_routines_borrow_context_t ctx, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("endScan", CTX(ctx), -1, ARG_NONE, NULL, err);
}
bool exports_supabase_wrappers_routines_begin_modify(exports_supabase_wrappers_routines_borrow_context_t ctx, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("beginModify", CTX(ctx), -1, ARG_NONE, NULL, err);
}
bool exports_supabase_wrappers_routines_insert(exports_supabase_wrappers_routines_borrow_context_t ctx, exports_supabase_wrappers_routines_borrow_row_t row, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("insert", CTX(ctx), row.__handle, ARG_NONE, NULL, err);
}
bool exports_supabase_wrappers_routines_update(exports_supabase_wrappers_routines_borrow_context_t ctx, exports_supabase_wrappers_routines_cell_t *rowid, exports_supabase_wrappers_routines_borrow_row_t new_row, supabase_wrappers_types_fdw_error_t *err)
{
    bool ok = void_routine("update", CTX(ctx), new_row.__handle, ARG_CELL, rowid, err);
    supabase_wrappers_types_cell_free(rowid);
    return ok;
}
bool exports_supabase_wrappers_routines_delete(exports_supabase_wrappers_routines_borrow_context_t ctx, exports_supabase_wrappers_routines_cell_t *rowid, supabase_wrappers_types_fdw_error_t *err)
{
    bool ok = void_routine("delete", CTX(ctx), -1, ARG_CELL, rowid, err);
    supabase_wrappers_types_cell_free(rowid);
    return ok;
}
bool exports_supabase_wrappers_routines_end_modify(exports_supabase_wrappers_routines_borrow_context_t ctx, supabase_wrappers_types_fdw_error_t *err)
{
    return void_routine("endModify", CTX(ctx), -1, ARG_NONE, NULL, err);
}

bool exports_supabase_wrappers_routines_iter_scan(exports_supabase_wrappers_routines_borrow_context_t ctx, exports_supabase_wrappers_routines_borrow_row_t row, engine_option_u32_t *ret, exports_supabase_wrappers_routines_fdw_error_t *err)
{
    JSValue v;
    int64_t n;
    if (start()) {
        supabase_wrappers_types_context_drop_borrow((supabase_wrappers_types_borrow_context_t){ CTX(ctx) });
        supabase_wrappers_types_row_drop_borrow((supabase_wrappers_types_borrow_row_t){ row.__handle });
        start_error(err);
        return false;
    }
    v = call_routine("iterScan", CTX(ctx), row.__handle, ARG_NONE, NULL);
    if (JS_IsException(v)) {
        take_error(err);
        return false;
    }
    if (JS_IsNull(v) || JS_IsUndefined(v)) {
        ret->is_some = false;
        return true;
    }
    if (lower_int(js, v, "iterScan() result (a row count, or null at the end of data)", 0, 4294967295.0, &n)) {
        take_error(err);
        return false;
    }
    ret->is_some = true;
    ret->val = (uint32_t)n;
    return true;
}

#if TSFDW_WRAPPERS_V2
bool exports_supabase_wrappers_routines_import_foreign_schema(exports_supabase_wrappers_routines_borrow_context_t ctx, exports_supabase_wrappers_routines_import_foreign_schema_stmt_t *stmt, engine_list_string_t *ret, exports_supabase_wrappers_routines_fdw_error_t *err)
{
    JSContext *c = js;
    JSGCRef v_ref;
    JSValue v;
    uint32_t n, i;
    bool ok = false;
    if (start()) {
        supabase_wrappers_types_context_drop_borrow((supabase_wrappers_types_borrow_context_t){ CTX(ctx) });
        supabase_wrappers_types_import_foreign_schema_stmt_free(stmt);
        start_error(err);
        return false;
    }
    c = js;
    v = call_routine("importForeignSchema", CTX(ctx), -1, ARG_STMT, stmt);
    supabase_wrappers_types_import_foreign_schema_stmt_free(stmt);
    if (JS_IsException(v)) {
        take_error(err);
        return false;
    }
    JS_PUSH_VALUE(c, v);
    if (array_len(c, v_ref.val, "importForeignSchema() result (an array of SQL strings)", &n))
        goto done;
    ret->ptr = malloc((size_t)(n ? n : 1) * sizeof(engine_string_t));
    ret->len = 0;
    if (!ret->ptr) {
        JS_ThrowOutOfMemory(c);
        goto done;
    }
    for (i = 0; i < n; i++) {
        uint8_t *p;
        size_t len;
        if (lower_string(c, JS_GetPropertyUint32(c, v_ref.val, i), "importForeignSchema() result (an array of SQL strings)", &p, &len))
            break;
        ret->ptr[i].ptr = (uint8_t *)dup_mem((const char *)p, len);
        ret->ptr[i].len = len;
        ret->len = i + 1;
        tmp_free_all();
    }
    ok = i == n;
done:
    JS_POP_VALUE(c, v);
    tmp_free_all();
    if (!ok) {
        if (ret->len || ret->ptr)
            engine_list_string_free(ret);
        take_error(err);
    }
    return ok;
}
#endif
