/* tsfdw micro engine: JS value helpers for the glue (lifting host values into JS, lowering JS
 * values to C). Included by glue.c after mquickjs.c, so engine internals are visible.
 * Every lowering function returns 0, or -1 with a JS exception set (a TypeError naming what
 * was expected and where), never traps. Strings are copied out of the GC heap at once (the
 * collector moves objects), into malloc'ed buffers freed after the host call (tmp_*). */

/* ------------------------------------------------------------------ temporary allocations */
static void **tmp_list;
static size_t tmp_len, tmp_cap;

static void *tmp_alloc(JSContext *ctx, size_t n)
{
    void *p;
    if (tmp_len == tmp_cap) {
        size_t cap = tmp_cap ? tmp_cap * 2 : 64;
        void **l = realloc(tmp_list, cap * sizeof(void *));
        if (!l)
            return NULL;
        tmp_list = l;
        tmp_cap = cap;
    }
    p = malloc(n ? n : 1);
    if (!p) {
        JS_ThrowOutOfMemory(ctx);
        return NULL;
    }
    tmp_list[tmp_len++] = p;
    return p;
}

static void tmp_free_all(void)
{
    while (tmp_len > 0)
        free(tmp_list[--tmp_len]);
}

/* ------------------------------------------------------------------ errors */
static JSValue type_error(JSContext *ctx, const char *where, const char *expected)
{
    return JS_ThrowTypeError(ctx, "%s: expected %s", where, expected);
}

/* ------------------------------------------------------------------ strings */
/* UTF-8 bytes of a JS string (copied; lone surrogates become U+FFFD, split pairs are joined).
 * The engine stores strings as UTF-8 where each UTF-16 surrogate that is not part of a pair
 * is its own 3-byte sequence (ED A0..BF xx). */
static int lower_string(JSContext *ctx, JSValue v, const char *where, uint8_t **pptr, size_t *plen)
{
    JSCStringBuf cbuf;
    const char *s;
    size_t n, i, o;
    uint8_t *d;

    if (!JS_IsString(ctx, v)) {
        type_error(ctx, where, "a string");
        return -1;
    }
    s = JS_ToCStringLen(ctx, &n, v, &cbuf);
    if (!s)
        return -1;
    d = tmp_alloc(ctx, n);
    if (!d)
        return -1;
    /* the source may move on allocation: fetch it again */
    s = JS_ToCStringLen(ctx, &n, v, &cbuf);
    for (i = 0, o = 0; i < n;) {
        uint8_t c = (uint8_t)s[i];
        if (c == 0xed && i + 2 < n + 0 && ((uint8_t)s[i + 1] & 0xe0) == 0xa0) {
            /* a surrogate code unit */
            int u = 0xd000 | (((uint8_t)s[i + 1] & 0x3f) << 6) | ((uint8_t)s[i + 2] & 0x3f);
            if (u < 0xdc00 && i + 5 < n + 0 && (uint8_t)s[i + 3] == 0xed && ((uint8_t)s[i + 4] & 0xf0) == 0xb0) {
                int lo = 0xd000 | (((uint8_t)s[i + 4] & 0x3f) << 6) | ((uint8_t)s[i + 5] & 0x3f);
                o += unicode_to_utf8(d + o, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
                i += 6;
            } else {
                d[o++] = 0xef;
                d[o++] = 0xbf;
                d[o++] = 0xbd;
                i += 3;
            }
        } else {
            d[o++] = c;
            i++;
        }
    }
    *pptr = d;
    *plen = o;
    return 0;
}

/* A JS string from host UTF-8 (the canonical ABI guarantees valid UTF-8). */
static JSValue lift_string(JSContext *ctx, const uint8_t *p, size_t n)
{
    return JS_NewStringLen(ctx, (const char *)p, n);
}

/* ------------------------------------------------------------------ numbers */
static int lower_number(JSContext *ctx, JSValue v, const char *where, double *d)
{
    if (!JS_IsNumber(ctx, v)) {
        type_error(ctx, where, "a number");
        return -1;
    }
    return JS_ToNumber(ctx, d, v);
}

/* Integral number in [lo, hi]. */
static int lower_int(JSContext *ctx, JSValue v, const char *where, double lo, double hi, int64_t *out)
{
    double d;
    if (JS_IsInt(v)) {
        int x = JS_VALUE_GET_INT(v);
        if (x < lo || x > hi)
            goto range;
        *out = x;
        return 0;
    }
    if (lower_number(ctx, v, where, &d))
        return -1;
    if (!(d >= lo && d <= hi) || d != (double)(int64_t)d)
        goto range;
    *out = (int64_t)d;
    return 0;
range:
    {
        /* the engine's printf has no %f: format the bounds here */
        char a[24], b[24];
        a[i64toa(a, (int64_t)lo)] = 0;
        b[i64toa(b, (int64_t)hi)] = 0;
        JS_ThrowTypeError(ctx, "%s: expected an integer from %s to %s", where, a, b);
    }
    return -1;
}

/* s64 from JS: an integral number (exact whatever its size, within range) or a decimal string
 * `-?[0-9]+` (exact); see README "Values". u64 likewise with is_unsigned. */
static int lower_i64(JSContext *ctx, JSValue v, const char *where, int is_unsigned, uint64_t *out)
{
    if (JS_IsInt(v)) {
        int x = JS_VALUE_GET_INT(v);
        if (is_unsigned && x < 0)
            goto bad;
        *out = (uint64_t)(int64_t)x;
        return 0;
    }
    if (JS_IsNumber(ctx, v)) {
        double d;
        if (JS_ToNumber(ctx, &d, v))
            return -1;
        if (d != d || d != __builtin_trunc(d))
            goto bad;
        if (is_unsigned) {
            if (!(d >= 0 && d < 18446744073709551616.0))
                goto bad;
            *out = (uint64_t)d;
        } else {
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                goto bad;
            *out = (uint64_t)(int64_t)d;
        }
        return 0;
    }
    if (JS_IsString(ctx, v)) {
        JSCStringBuf cbuf;
        size_t n, i = 0;
        const char *s = JS_ToCStringLen(ctx, &n, v, &cbuf);
        int neg = 0;
        uint64_t acc = 0, lim;
        if (!s)
            return -1;
        if (n > 0 && s[0] == '-' && !is_unsigned) {
            neg = 1;
            i = 1;
        }
        if (i == n || n - i > 20)
            goto bad;
        lim = is_unsigned ? UINT64_MAX : (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX);
        for (; i < n; i++) {
            unsigned dgt = (unsigned char)s[i] - '0';
            if (dgt > 9)
                goto bad;
            if (acc > (lim - dgt) / 10)
                goto bad;
            acc = acc * 10 + dgt;
        }
        *out = neg ? (uint64_t)(-(int64_t)(acc - 1) - 1) : acc;
        return 0;
    }
bad:
    JS_ThrowTypeError(ctx, "%s: expected an integer %s (a number, or a decimal string for values beyond 2^53)", where,
                      is_unsigned ? "from 0 to 2^64-1" : "from -2^63 to 2^63-1");
    return -1;
}

/* s64 to JS: a number when |v| <= 2^53 (exact), else its decimal string (exact). */
static JSValue lift_i64(JSContext *ctx, int64_t v)
{
    if (v >= -9007199254740992LL && v <= 9007199254740992LL)
        return JS_NewInt64(ctx, v);
    {
        char buf[24];
        size_t n = i64toa(buf, v);
        return JS_NewStringLen(ctx, buf, n);
    }
}

static JSValue lift_u64(JSContext *ctx, uint64_t v)
{
    if (v <= 9007199254740992ULL)
        return JS_NewInt64(ctx, (int64_t)v);
    {
        char buf[24];
        size_t n = u64toa(buf, v);
        return JS_NewStringLen(ctx, buf, n);
    }
}

static int lower_bool(JSContext *ctx, JSValue v, const char *where, bool *out)
{
    if (!JS_IsBool(v)) {
        type_error(ctx, where, "a boolean");
        return -1;
    }
    *out = v == JS_TRUE;
    return 0;
}

/* ------------------------------------------------------------------ objects */
static int is_object(JSContext *ctx, JSValue v)
{
    return JS_IsPtr(v) && ((JSObject *)JS_VALUE_TO_PTR(v))->mtag == JS_MTAG_OBJECT;
}

static int is_array(JSContext *ctx, JSValue v)
{
    return js_get_object_class(ctx, v, JS_CLASS_ARRAY) != NULL;
}

static int array_len(JSContext *ctx, JSValue v, const char *where, uint32_t *n)
{
    JSValue l;
    if (!is_array(ctx, v)) {
        type_error(ctx, where, "an array");
        return -1;
    }
    l = JS_GetPropertyStr(ctx, v, "length");
    if (JS_IsException(l))
        return -1;
    return JS_ToUint32(ctx, n, l);
}

/* The variant tag of `{ tag: "name", val }` as an index into names[], or -1 with a TypeError. */
static int lower_tag(JSContext *ctx, JSValue v, const char *where, const char *const *names, int count)
{
    JSValue t;
    JSCStringBuf cbuf;
    const char *s;
    size_t n;
    int i;
    if (!is_object(ctx, v)) {
        type_error(ctx, where, "a variant object { tag, val }");
        return -1;
    }
    t = JS_GetPropertyStr(ctx, v, "tag");
    if (JS_IsException(t))
        return -1;
    if (!JS_IsString(ctx, t)) {
        type_error(ctx, where, "a variant object with a string `tag`");
        return -1;
    }
    s = JS_ToCStringLen(ctx, &n, t, &cbuf);
    for (i = 0; i < count; i++) {
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
            return i;
    }
    JS_ThrowTypeError(ctx, "%s: unknown tag \"%.40s\"", where, s);
    return -1;
}

/* `{ tag: name }` or `{ tag: name, val }` (val may be JS_UNINITIALIZED for no payload). */
static JSValue lift_variant(JSContext *ctx, const char *tag, JSValue val)
{
    JSGCRef val_ref, obj_ref;
    JSValue obj, t;
    JS_PUSH_VALUE(ctx, val);
    obj = JS_NewObject(ctx);
    JS_PUSH_VALUE(ctx, obj);
    t = JS_IsException(obj) ? JS_EXCEPTION : JS_NewString(ctx, tag);
    if (!JS_IsException(t))
        t = JS_SetPropertyStr(ctx, obj_ref.val, "tag", t);
    if (!JS_IsException(t) && val_ref.val != JS_UNINITIALIZED)
        t = JS_SetPropertyStr(ctx, obj_ref.val, "val", val_ref.val);
    JS_POP_VALUE(ctx, obj);
    JS_POP_VALUE(ctx, val);
    return JS_IsException(t) ? JS_EXCEPTION : obj;
}

static JSValue get_field(JSContext *ctx, JSValue obj, const char *key)
{
    return JS_GetPropertyStr(ctx, obj, key);
}

/* ------------------------------------------------------------------ exceptions → messages */
/* The message for err(…): an Error's message, a thrown string, else String(value). Copied into
 * a malloc'ed buffer (caller frees). Never fails: falls back to a fixed text. */
static char *exception_message(JSContext *ctx, size_t *plen)
{
    JSValue ex = ctx->current_exception, m;
    JSCStringBuf cbuf;
    const char *s = NULL;
    size_t n = 0;
    char *out;
    const char *fallback = "the guest threw a value that cannot be converted to a string";

    ctx->current_exception = JS_NULL;
    if (ex == JS_NULL) {
        /* thrown by JS_ThrowOutOfMemory while it was already out of memory */
        s = "out of memory";
        n = strlen(s);
    } else if (JS_IsError(ctx, ex)) {
        m = JS_GetPropertyStr(ctx, ex, "message");
        if (!JS_IsException(m))
            s = JS_ToCStringLen(ctx, &n, m, &cbuf);
    } else {
        s = JS_ToCStringLen(ctx, &n, ex, &cbuf);
    }
    if (!s) {
        ctx->current_exception = JS_NULL;
        s = fallback;
        n = strlen(s);
    }
    out = malloc(n + 1);
    if (!out) {
        *plen = 0;
        return NULL;
    }
    memcpy(out, s, n);
    out[n] = 0;
    *plen = n;
    return out;
}
