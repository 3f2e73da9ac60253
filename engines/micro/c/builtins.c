/* tsfdw micro engine: built-ins that replace MicroQuickJS ones needing its parser (which uses
 * setjmp/longjmp, absent from wasm32 without exception handling) or a clock.
 * Compiled inside the same translation unit as mquickjs.c (engine.c includes both), so the
 * engine's internal helpers are visible. */

/* `new Function(…)` / `Function(…)`: there is no JavaScript parser in the guest. */
JSValue tsfdw_function_constructor(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    return JS_ThrowTypeError(ctx, "the Function constructor is not supported by the micro engine (no JavaScript parser in the guest)");
}

/* There is no clock: the host offers time only through supabase:wrappers/time. */
JSValue tsfdw_date_now(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    return JS_ThrowTypeError(ctx, "Date.now() is not available in the guest (no clock): use time.epochSecs() from supabase:wrappers/time");
}

/* RegExp literals are compiled to regexp bytecode at build time; at run time only a copy of an
 * existing RegExp can be made (there is no regexp compiler in the guest). */
JSValue tsfdw_regexp_constructor(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSObject *src, *p;
    JSValue obj;
    JSGCRef a0_ref;
    JSValue a0 = argv[0];

    argc &= ~FRAME_CF_CTOR;
    src = js_get_object_class(ctx, a0, JS_CLASS_REGEXP);
    if (!src || (argc >= 2 && !JS_IsUndefined(argv[1])))
        return JS_ThrowTypeError(ctx, "RegExp(string) is not supported by the micro engine (no regexp compiler in the guest): use a regular expression literal /…/");
    JS_PUSH_VALUE(ctx, a0);
    obj = JS_NewObjectClass(ctx, JS_CLASS_REGEXP, sizeof(JSRegExp));
    JS_POP_VALUE(ctx, a0);
    if (JS_IsException(obj))
        return obj;
    src = JS_VALUE_TO_PTR(a0);
    p = JS_VALUE_TO_PTR(obj);
    p->u.regexp.source = src->u.regexp.source;
    p->u.regexp.byte_code = src->u.regexp.byte_code;
    p->u.regexp.last_index = 0;
    return obj;
}

/* ------------------------------------------------------------------------------ JSON.parse */
/* Iterative (no C recursion: depth is bounded by TSFDW_JSON_MAX_DEPTH, and memory by the
 * arena), exact numbers (the engine's js_atod, correctly rounded), lone \uD800-\uDFFF escapes
 * kept as the engine keeps them (one 3-byte sequence per code unit), duplicate keys: last wins,
 * "__proto__" is an ordinary own property. No reviver (MicroQuickJS' JSON.parse has none either). */

#define TSFDW_JSON_MAX_DEPTH 10000

typedef struct {
    const uint8_t *s;   /* NUL-terminated copy of the input (outside the GC heap) */
    size_t pos;
    uint8_t *tmp;       /* scratch for one string's bytes */
    size_t tmp_size;
} JsonIn;

static void json_ws(JsonIn *in)
{
    for (;;) {
        uint8_t c = in->s[in->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            in->pos++;
        else
            break;
    }
}

static JSValue json_error(JSContext *ctx, JsonIn *in, const char *what)
{
    uint8_t c = in->s[in->pos];
    if (c == 0)
        return JS_ThrowSyntaxError(ctx, "JSON.parse: %s at end of input (position %u)", what, (unsigned)in->pos);
    if (c >= 0x20 && c < 0x7f)
        return JS_ThrowSyntaxError(ctx, "JSON.parse: %s: unexpected '%c' at position %u", what, c, (unsigned)in->pos);
    return JS_ThrowSyntaxError(ctx, "JSON.parse: %s: unexpected byte 0x%02x at position %u", what, c, (unsigned)in->pos);
}

static int json_hex4(const uint8_t *p)
{
    int v = 0, i;
    for (i = 0; i < 4; i++) {
        int c = p[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = (v << 4) | d;
    }
    return v;
}

/* in->s[in->pos] is the opening quote. Returns a JS string or JS_EXCEPTION. */
static JSValue json_string(JSContext *ctx, JsonIn *in)
{
    size_t start = ++in->pos, n = 0;
    const uint8_t *s = in->s;
    /* fast path: no escapes */
    for (;;) {
        uint8_t c = s[in->pos];
        if (c == '"') {
            JSValue v = JS_NewStringLen(ctx, (const char *)s + start, in->pos - start);
            in->pos++;
            return v;
        }
        if (c == '\\')
            break;
        if (c < 0x20)
            return json_error(ctx, in, c == 0 ? "unterminated string" : "control character in string");
        in->pos++;
    }
    /* slow path: decode into tmp; the output is never longer than the input */
    {
        size_t need = strlen((const char *)s + start) + 4;
        if (need > in->tmp_size) {
            uint8_t *t = realloc(in->tmp, need);
            if (!t)
                return JS_ThrowOutOfMemory(ctx);
            in->tmp = t;
            in->tmp_size = need;
        }
    }
    n = in->pos - start;
    memcpy(in->tmp, s + start, n);
    for (;;) {
        uint8_t c = s[in->pos];
        if (c == '"') {
            in->pos++;
            return JS_NewStringLen(ctx, (const char *)in->tmp, n);
        }
        if (c < 0x20)
            return json_error(ctx, in, c == 0 ? "unterminated string" : "control character in string");
        if (c != '\\') {
            in->tmp[n++] = c;
            in->pos++;
            continue;
        }
        c = s[in->pos + 1];
        switch (c) {
        case '"': case '\\': case '/': in->tmp[n++] = c; break;
        case 'b': in->tmp[n++] = '\b'; break;
        case 'f': in->tmp[n++] = '\f'; break;
        case 'n': in->tmp[n++] = '\n'; break;
        case 'r': in->tmp[n++] = '\r'; break;
        case 't': in->tmp[n++] = '\t'; break;
        case 'u': {
            int u = json_hex4(s + in->pos + 2);
            if (u < 0) {
                in->pos++;
                return json_error(ctx, in, "bad \\u escape");
            }
            if (u >= 0xd800 && u < 0xdc00 && s[in->pos + 6] == '\\' && s[in->pos + 7] == 'u') {
                int lo = json_hex4(s + in->pos + 8);
                if (lo >= 0xdc00 && lo < 0xe000) {
                    u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                    in->pos += 6;
                }
            }
            n += unicode_to_utf8(in->tmp + n, u);
            in->pos += 4;
            break;
        }
        default:
            in->pos++;
            return json_error(ctx, in, "bad escape");
        }
        in->pos += 2;
    }
}

static JSValue json_number(JSContext *ctx, JsonIn *in)
{
    const uint8_t *s = in->s;
    size_t p = in->pos;
    JSATODTempMem tmp;
    double d;
    if (s[p] == '-')
        p++;
    if (s[p] == '0')
        p++;
    else if (s[p] >= '1' && s[p] <= '9')
        while (s[p] >= '0' && s[p] <= '9') p++;
    else {
        in->pos = p;
        return json_error(ctx, in, "bad number");
    }
    if (s[p] == '.') {
        p++;
        if (!(s[p] >= '0' && s[p] <= '9')) {
            in->pos = p;
            return json_error(ctx, in, "bad number");
        }
        while (s[p] >= '0' && s[p] <= '9') p++;
    }
    if (s[p] == 'e' || s[p] == 'E') {
        p++;
        if (s[p] == '+' || s[p] == '-')
            p++;
        if (!(s[p] >= '0' && s[p] <= '9')) {
            in->pos = p;
            return json_error(ctx, in, "bad number");
        }
        while (s[p] >= '0' && s[p] <= '9') p++;
    }
    d = js_atod((const char *)s + in->pos, NULL, 10, 0, &tmp);
    in->pos = p;
    return JS_NewFloat64(ctx, d);
}

static int json_word(JsonIn *in, const char *w, size_t n)
{
    if (memcmp(in->s + in->pos, w, n) != 0)
        return 0;
    in->pos += n;
    return 1;
}

JSValue tsfdw_json_parse(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSValue str, ret = JS_EXCEPTION;
    JSGCRef stack_ref, val_ref, cont_ref;
    JSValue stack, val = JS_UNDEFINED, cont;
    JsonIn in;
    JSStringCharBuf sbuf;
    JSString *ps;
    uint8_t *copy;
    int depth = 0;

    str = JS_ToString(ctx, argv[0]);
    if (JS_IsException(str))
        return str;
    ps = get_string_ptr(ctx, &sbuf, str);
    copy = malloc(ps->len + 1);
    if (!copy)
        return JS_ThrowOutOfMemory(ctx);
    memcpy(copy, ps->buf, ps->len);
    copy[ps->len] = 0;
    if (strlen((const char *)copy) != ps->len) {
        /* a NUL character is never valid JSON outside strings, and inside a string it must be escaped */
        free(copy);
        return JS_ThrowSyntaxError(ctx, "JSON.parse: NUL character in input");
    }
    in.s = copy;
    in.pos = 0;
    in.tmp = NULL;
    in.tmp_size = 0;

    /* stack: [container0, slot0, container1, slot1, …]; slot = next array index or the
       pending object key */
    stack = JS_NewArray(ctx, 0);
    if (JS_IsException(stack))
        goto done_nostack;
    JS_PUSH_VALUE(ctx, stack);
    JS_PUSH_VALUE(ctx, val);
    cont = JS_UNDEFINED;
    JS_PUSH_VALUE(ctx, cont);

value:
    json_ws(&in);
    switch (in.s[in.pos]) {
    case '{':
        in.pos++;
        val_ref.val = JS_NewObject(ctx);
        if (JS_IsException(val_ref.val))
            goto fail;
        json_ws(&in);
        if (in.s[in.pos] == '}') {
            in.pos++;
            goto have_value;
        }
        goto push;
    case '[':
        in.pos++;
        val_ref.val = JS_NewArray(ctx, 0);
        if (JS_IsException(val_ref.val))
            goto fail;
        json_ws(&in);
        if (in.s[in.pos] == ']') {
            in.pos++;
            goto have_value;
        }
        goto push;
    case '"':
        val_ref.val = json_string(ctx, &in);
        break;
    case 't':
        if (!json_word(&in, "true", 4)) {
            json_error(ctx, &in, "unexpected token");
            goto fail;
        }
        val_ref.val = JS_TRUE;
        break;
    case 'f':
        if (!json_word(&in, "false", 5)) {
            json_error(ctx, &in, "unexpected token");
            goto fail;
        }
        val_ref.val = JS_FALSE;
        break;
    case 'n':
        if (!json_word(&in, "null", 4)) {
            json_error(ctx, &in, "unexpected token");
            goto fail;
        }
        val_ref.val = JS_NULL;
        break;
    default:
        if (in.s[in.pos] == '-' || (in.s[in.pos] >= '0' && in.s[in.pos] <= '9')) {
            val_ref.val = json_number(ctx, &in);
        } else {
            json_error(ctx, &in, "unexpected token");
            goto fail;
        }
        break;
    }
    if (JS_IsException(val_ref.val))
        goto fail;
    goto have_value;

push:
    if (depth >= TSFDW_JSON_MAX_DEPTH) {
        JS_ThrowRangeError(ctx, "JSON.parse: nesting deeper than %d levels", TSFDW_JSON_MAX_DEPTH);
        goto fail;
    }
    if (JS_IsException(JS_SetPropertyUint32(ctx, stack_ref.val, 2 * depth, val_ref.val)))
        goto fail;
    if (JS_IsException(JS_SetPropertyUint32(ctx, stack_ref.val, 2 * depth + 1, JS_NewShortInt(0))))
        goto fail;
    depth++;
    if (js_get_object_class(ctx, val_ref.val, JS_CLASS_ARRAY))
        goto value;
key:
    json_ws(&in);
    if (in.s[in.pos] != '"') {
        json_error(ctx, &in, "expected a property name");
        goto fail;
    }
    {
        JSValue k = json_string(ctx, &in);
        if (JS_IsException(k))
            goto fail;
        k = JS_ToPropertyKey(ctx, k);
        if (JS_IsException(k))
            goto fail;
        if (JS_IsException(JS_SetPropertyUint32(ctx, stack_ref.val, 2 * depth - 1, k)))
            goto fail;
    }
    json_ws(&in);
    if (in.s[in.pos] != ':') {
        json_error(ctx, &in, "expected ':'");
        goto fail;
    }
    in.pos++;
    goto value;

have_value:
    if (depth == 0) {
        json_ws(&in);
        if (in.s[in.pos] != 0) {
            json_error(ctx, &in, "unexpected data after the value");
            goto fail;
        }
        ret = val_ref.val;
        goto done;
    }
    cont_ref.val = JS_GetPropertyUint32(ctx, stack_ref.val, 2 * depth - 2);
    {
        JSValue slot = JS_GetPropertyUint32(ctx, stack_ref.val, 2 * depth - 1);
        int is_array = js_get_object_class(ctx, cont_ref.val, JS_CLASS_ARRAY) != NULL;
        if (is_array) {
            int idx = JS_VALUE_GET_INT(slot);
            if (JS_IsException(JS_SetPropertyUint32(ctx, cont_ref.val, idx, val_ref.val)))
                goto fail;
            if (JS_IsException(JS_SetPropertyUint32(ctx, stack_ref.val, 2 * depth - 1, JS_NewShortInt(idx + 1))))
                goto fail;
        } else {
            if (JS_IsException(JS_DefinePropertyValue(ctx, cont_ref.val, slot, val_ref.val)))
                goto fail;
        }
        json_ws(&in);
        if (in.s[in.pos] == ',') {
            in.pos++;
            if (is_array)
                goto value;
            goto key;
        }
        if (in.s[in.pos] == (is_array ? ']' : '}')) {
            in.pos++;
            depth--;
            /* release the references held by the popped level */
            JS_SetPropertyUint32(ctx, stack_ref.val, 2 * depth, JS_NULL);
            JS_SetPropertyUint32(ctx, stack_ref.val, 2 * depth + 1, JS_NULL);
            val_ref.val = cont_ref.val;
            goto have_value;
        }
        json_error(ctx, &in, is_array ? "expected ',' or ']'" : "expected ',' or '}'");
        goto fail;
    }

fail:
    ret = JS_EXCEPTION;
done:
    JS_POP_VALUE(ctx, cont);
    JS_POP_VALUE(ctx, val);
    JS_POP_VALUE(ctx, stack);
done_nostack:
    free(in.tmp);
    free(copy);
    return ret;
}
