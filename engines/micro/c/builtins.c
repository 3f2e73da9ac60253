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

#ifdef TSFDW_TEST_RUNNER
    /* the native test runner has the parser: its harnesses build regexps from strings */
    if (!js_get_object_class(ctx, a0, JS_CLASS_REGEXP))
        return js_regexp_constructor(ctx, this_val, argc, argv);
#endif
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

/* ------------------------------------------------------------------------------ RegExp */
/* MicroQuickJS matches on its UTF-8 string bytes, where a character outside the BMP is one
 * 4-byte sequence. ES regexps without the u flag see UTF-16 code units (/./ matches one half of
 * a pair, [\ud800-\udfff] matches either half). So such a regexp runs on the string's CESU-8
 * form: every 4-byte sequence written as its two surrogates, 3 bytes each — the way MicroQuickJS
 * stores a lone surrogate — where characters and UTF-16 units coincide. Positions are converted
 * to UTF-16 on that form; substrings are cut from the original string (js_sub_string), so a
 * whole pair comes out as one character, half a pair as a lone surrogate, as in ES. Strings
 * without such characters (the usual case) are used as they are. */
static JSValue tsfdw_cesu8(JSContext *ctx, JSValue str)
{
    JSStringCharBuf buf;
    JSString *p, *q;
    JSGCRef str_ref;
    size_t i, n4 = 0, clen;
    uint8_t *d;

    p = get_string_ptr(ctx, &buf, str);
    if (p->is_ascii)
        return str;
    for (i = 0; i < p->len; i++)
        n4 += (p->buf[i] & 0xf8) == 0xf0;
    if (n4 == 0)
        return str;
    JS_PUSH_VALUE(ctx, str);
    q = js_alloc_string(ctx, p->len + 2 * n4);
    JS_POP_VALUE(ctx, str);
    if (!q)
        return JS_EXCEPTION;
    p = get_string_ptr(ctx, &buf, str);
    d = q->buf;
    for (i = 0; i < p->len; i += clen) {
        int c = utf8_get(p->buf + i, &clen);
        if (c >= 0x10000) {
            c -= 0x10000;
            d += unicode_to_utf8(d, 0xd800 + (c >> 10));
            d += unicode_to_utf8(d, 0xdc00 + (c & 0x3ff));
        } else {
            memcpy(d, p->buf + i, clen);
            d += clen;
        }
    }
    return JS_VALUE_FROM_PTR(q);
}

/* The string a regexp with these flags matches on (see tsfdw_cesu8). */
static JSValue tsfdw_regexp_subject(JSContext *ctx, JSValue str, int re_flags)
{
    return (re_flags & LRE_FLAG_UNICODE) ? str : tsfdw_cesu8(ctx, str);
}

/* ES AdvanceStringIndex: after an empty match, one code point with the u flag, else one unit. */
static int tsfdw_advance(JSContext *ctx, JSValue str, int index, int re_flags)
{
    if ((re_flags & LRE_FLAG_UNICODE) && string_getcp(ctx, str, index, TRUE) >= 0x10000)
        return index + 2;
    return index + 1;
}

/* RegExp.prototype.exec / test (and search, split, match through the magic), as upstream but:
 * a global or sticky regexp whose lastIndex is past the end of the string fails and resets
 * lastIndex (upstream clamped it, so `while ((m = re.exec(s)))` loops over an empty match never
 * ended); without the u flag the string is matched as UTF-16 units. */
JSValue js_regexp_exec(JSContext *ctx, JSValue *this_val,
                       int argc, JSValue *argv, int magic)
{
    JSObject *p;
    JSRegExp *re;
    JSValue obj, capture_buf, res, subject;
    uint32_t *capture, last_index_utf8;
    int rc, capture_count, i, re_flags, last_index;
    JSByteArray *bc_arr, *carr;
    JSGCRef capture_buf_ref, obj_ref, subject_ref;
    JSString *str;
    JSStringCharBuf str_buf;

    re = js_get_regexp(ctx, *this_val);
    if (!re)
        return JS_EXCEPTION;

    argv[0] = JS_ToString(ctx, argv[0]);
    if (JS_IsException(argv[0]))
        return JS_EXCEPTION;

    p = JS_VALUE_TO_PTR(*this_val);
    re = &p->u.regexp;
    last_index = max_int(re->last_index, 0);

    bc_arr = JS_VALUE_TO_PTR(re->byte_code);
    re_flags = lre_get_flags(bc_arr->buf);
    if (magic == MAGIC_REGEXP_FORCE_GLOBAL)
        re_flags |= LRE_FLAG_GLOBAL;
    if ((re_flags & (LRE_FLAG_GLOBAL | LRE_FLAG_STICKY)) == 0 ||
        magic == MAGIC_REGEXP_SEARCH) {
        last_index = 0;
    }
    capture_count = lre_get_capture_count(bc_arr->buf);

    subject = tsfdw_regexp_subject(ctx, argv[0], re_flags);
    if (JS_IsException(subject))
        return JS_EXCEPTION;
    /* the allocation above may have moved the regexp's bytecode */
    p = JS_VALUE_TO_PTR(*this_val);
    bc_arr = JS_VALUE_TO_PTR(p->u.regexp.byte_code);
    JS_PUSH_VALUE(ctx, subject);
    carr = js_alloc_byte_array(ctx, sizeof(uint32_t) * lre_get_alloc_count(bc_arr->buf));
    JS_POP_VALUE(ctx, subject);
    if (!carr)
        return JS_EXCEPTION;
    capture_buf = JS_VALUE_FROM_PTR(carr);
    capture = (uint32_t *)carr->buf;
    for(i = 0; i < 2 * capture_count; i++)
        capture[i] = -1;

    if (last_index > js_string_len(ctx, argv[0])) {
        rc = 2;
    } else {
        last_index_utf8 = last_index <= 0 ? 0 : js_string_utf16_to_utf8_pos(ctx, subject, last_index) / 2;
        JS_PUSH_VALUE(ctx, capture_buf);
        JS_PUSH_VALUE(ctx, subject);
        p = JS_VALUE_TO_PTR(*this_val);
        re = &p->u.regexp;
        str = get_string_ptr(ctx, &str_buf, subject);
        /* JS_VALUE_FROM_PTR(str) is acceptable here because the
           GC ignores pointers outside the heap */
        rc = lre_exec(ctx, capture_buf, re->byte_code, JS_VALUE_FROM_PTR(str),
                      last_index_utf8);
        JS_POP_VALUE(ctx, subject);
        JS_POP_VALUE(ctx, capture_buf);
    }
    if (rc != 1) {
        if (rc >= 0) {
            if (re_flags & (LRE_FLAG_GLOBAL | LRE_FLAG_STICKY)) {
                p = JS_VALUE_TO_PTR(*this_val);
                re = &p->u.regexp;
                re->last_index = 0;
            }
            if (magic == MAGIC_REGEXP_SEARCH)
                obj = JS_NewShortInt(-1);
            else if (magic == MAGIC_REGEXP_TEST)
                obj = JS_FALSE;
            else
                obj = JS_NULL;
        } else {
            return JS_EXCEPTION;
        }
    } else {
        capture = (uint32_t *)((JSByteArray *)JS_VALUE_TO_PTR(capture_buf))->buf;
        if (magic == MAGIC_REGEXP_SEARCH) {
            return JS_NewShortInt(js_string_utf8_to_utf16_pos(ctx, subject, capture[0] * 2));
        }
        if (re_flags & (LRE_FLAG_GLOBAL | LRE_FLAG_STICKY)) {
            p = JS_VALUE_TO_PTR(*this_val);
            re = &p->u.regexp;
            re->last_index = js_string_utf8_to_utf16_pos(ctx, subject, capture[1] * 2);
        }
        if (magic == MAGIC_REGEXP_TEST) {
            obj = JS_TRUE;
        } else {
            JS_PUSH_VALUE(ctx, capture_buf);
            JS_PUSH_VALUE(ctx, subject);
            obj = JS_NewArray(ctx, capture_count);
            JS_POP_VALUE(ctx, subject);
            JS_POP_VALUE(ctx, capture_buf);
            if (JS_IsException(obj))
                return JS_EXCEPTION;

            JS_PUSH_VALUE(ctx, capture_buf);
            JS_PUSH_VALUE(ctx, obj);
            JS_PUSH_VALUE(ctx, subject);
            capture = (uint32_t *)((JSByteArray *)JS_VALUE_TO_PTR(capture_buf))->buf;
            res = JS_DefinePropertyValue(ctx, obj, js_get_atom(ctx, JS_ATOM_index),
                                         JS_NewShortInt(js_string_utf8_to_utf16_pos(ctx, subject, capture[0] * 2)));
            if (!JS_IsException(res))
                res = JS_DefinePropertyValue(ctx, obj, js_get_atom(ctx, JS_ATOM_input), argv[0]);
            for(i = 0; i < capture_count && !JS_IsException(res); i++) {
                int start, end;
                JSValue val;

                capture = (uint32_t *)((JSByteArray *)JS_VALUE_TO_PTR(capture_buf_ref.val))->buf;
                start = capture[2 * i];
                end = capture[2 * i + 1];
                if (start != -1 && end != -1) {
                    JSValueArray *arr;
                    if (subject_ref.val == argv[0]) {
                        val = js_sub_string_utf8(ctx, argv[0], 2 * start, 2 * end);
                    } else {
                        int s16 = js_string_utf8_to_utf16_pos(ctx, subject_ref.val, 2 * start);
                        int e16 = js_string_utf8_to_utf16_pos(ctx, subject_ref.val, 2 * end);
                        val = js_sub_string(ctx, argv[0], s16, e16);
                    }
                    if (JS_IsException(val)) {
                        res = val;
                        break;
                    }
                    p = JS_VALUE_TO_PTR(obj_ref.val);
                    arr = JS_VALUE_TO_PTR(p->u.array.tab);
                    arr->arr[i] = val;
                }
            }
            JS_POP_VALUE(ctx, subject);
            JS_POP_VALUE(ctx, obj);
            JS_POP_VALUE(ctx, capture_buf);
            if (JS_IsException(res))
                return JS_EXCEPTION;
        }
    }
    return obj;
}

/* String.prototype.match: as upstream, but a global regexp matching the empty string advances
 * lastIndex (ES), instead of matching at the same place until the heap is full. */
JSValue tsfdw_string_match(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSRegExp *re;
    int re_flags, n;
    JSValue *A, *result, ret;
    JSObject *p;
    JSValueArray *arr;
    JSGCRef A_ref, result_ref;

    re = js_get_regexp(ctx, argv[0]);
    if (!re)
        return JS_EXCEPTION;
    re_flags = lre_get_flags(((JSByteArray *)JS_VALUE_TO_PTR(re->byte_code))->buf);
    if (!(re_flags & LRE_FLAG_GLOBAL))
        return js_regexp_exec(ctx, &argv[0], 1, this_val, 0);
    re->last_index = 0;

    A = JS_PushGCRef(ctx, &A_ref);
    result = JS_PushGCRef(ctx, &result_ref);
    *A = JS_NULL;
    n = 0;
    for(;;) {
        JSValue m;
        *result = js_regexp_exec(ctx, &argv[0], 1, this_val, 0);
        if (JS_IsException(*result))
            goto fail;
        if (*result == JS_NULL)
            break;
        if (*A == JS_NULL) {
            *A = JS_NewArray(ctx, 1);
            if (JS_IsException(*A))
                goto fail;
        }
        p = JS_VALUE_TO_PTR(*result);
        arr = JS_VALUE_TO_PTR(p->u.array.tab);
        m = arr->arr[0];
        if (js_string_len(ctx, m) == 0) {
            p = JS_VALUE_TO_PTR(argv[0]);
            p->u.regexp.last_index = tsfdw_advance(ctx, *this_val, p->u.regexp.last_index, re_flags);
        }
        ret = JS_SetPropertyUint32(ctx, *A, n++, m);
        if (JS_IsException(ret)) {
        fail:
            *A = JS_EXCEPTION;
            break;
        }
    }
    JS_PopGCRef(ctx, &result_ref);
    return JS_PopGCRef(ctx, &A_ref);
}

/* The replacement pattern ($$, $&, $`, $', $n, $nn) of one match. Positions are UTF-16; the
 * captures are byte offsets in `subject` (the string or its CESU-8 form). */
static void tsfdw_concat_subst(JSContext *ctx, StringBuffer *b, JSValue *str, JSValue *subject,
                               JSValue *rep, uint32_t pos, uint32_t end_of_match,
                               JSValue *capture_buf, uint32_t captures_len)
{
    JSStringCharBuf buf_rep;
    JSString *p;
    int rep_len, i, j, j0, c, k;

    p = get_string_ptr(ctx, &buf_rep, *rep);
    rep_len = p->len;
    i = 0;
    for(;;) {
        p = get_string_ptr(ctx, &buf_rep, *rep);
        j = i;
        while (j < rep_len && p->buf[j] != '$')
            j++;
        if (j + 1 >= rep_len)
            break;
        j0 = j++; /* j0 = position of '$' */
        c = p->buf[j++];
        string_buffer_concat_utf8(ctx, b, *rep, 2 * i, 2 * j0);
        if (c == '$') {
            string_buffer_putc(ctx, b, '$');
        } else if (c == '&') {
            string_buffer_concat_utf16(ctx, b, *str, pos, end_of_match);
        } else if (c == '`') {
            string_buffer_concat_utf16(ctx, b, *str, 0, pos);
        } else if (c == '\'') {
            string_buffer_concat_utf16(ctx, b, *str, end_of_match, js_string_len(ctx, *str));
        } else if (c >= '0' && c <= '9') {
            k = c - '0';
            if (j < rep_len) {
                c = p->buf[j];
                /* ES: a two-digit $nn only when that group exists, else $n followed by a digit */
                if (c >= '0' && c <= '9' && k * 10 + c - '0' >= 1 && (uint32_t)(k * 10 + c - '0') < captures_len) {
                    k = k * 10 + c - '0';
                    j++;
                }
            }
            if (k >= 1 && k < captures_len) {
                uint32_t *captures = (uint32_t *)((JSByteArray *)JS_VALUE_TO_PTR(*capture_buf))->buf;
                uint32_t s8 = captures[2 * k], e8 = captures[2 * k + 1];
                if (s8 != -1 && e8 != -1) {
                    int s16 = js_string_utf8_to_utf16_pos(ctx, *subject, s8 * 2);
                    int e16 = js_string_utf8_to_utf16_pos(ctx, *subject, e8 * 2);
                    string_buffer_concat_utf16(ctx, b, *str, s16, e16);
                }
            } else {
                goto no_rep;
            }
        } else {
        no_rep:
            string_buffer_concat_utf8(ctx, b, *rep, 2 * j0, 2 * j);
        }
        i = j;
    }
    string_buffer_concat_utf8(ctx, b, *rep, 2 * i, 2 * rep_len);
}

/* String.prototype.replace / replaceAll with a string replacement (a function replacement is
 * the polyfill's, engines/micro/polyfills/string.js): as upstream, but each match starts with no
 * capture (lre_exec), a regexp without the u flag works on UTF-16 units (matching and the
 * empty-match step), and $nn follows ES. */
JSValue tsfdw_string_replace(JSContext *ctx, JSValue *this_val,
                             int argc, JSValue *argv, int is_replaceAll)
{
    StringBuffer b_s, *b = &b_s;
    int pos, endOfLastMatch, needle_len, input_len;
    BOOL is_first, is_regexp;

    string_buffer_init(ctx, b, 0);

    *this_val = JS_ToString(ctx, *this_val);
    if (JS_IsException(*this_val))
        return JS_EXCEPTION;
    is_regexp = (JS_GetClassID(ctx, argv[0]) == JS_CLASS_REGEXP);
    if (!is_regexp) {
        argv[0] = JS_ToString(ctx, argv[0]);
        if (JS_IsException(argv[0]))
            return JS_EXCEPTION;
    }
    if (JS_IsFunction(ctx, argv[1])) {
        return JS_ThrowTypeError(ctx, "functional replace is not supported");
    } else {
        argv[1] = JS_ToString(ctx, argv[1]);
        if (JS_IsException(argv[1]))
            return JS_EXCEPTION;
    }
    input_len = js_string_len(ctx, *this_val);
    endOfLastMatch = 0;

    if (is_regexp) {
        int start, end, last_index, ret, re_flags, i, capture_count;
        JSObject *p;
        JSByteArray *bc_arr, *carr;
        JSValue *capture_buf, *subject;
        uint32_t *capture;
        JSGCRef capture_buf_ref, subject_ref, b_ref;

        p = JS_VALUE_TO_PTR(argv[0]);
        bc_arr = JS_VALUE_TO_PTR(p->u.regexp.byte_code);
        re_flags = lre_get_flags(bc_arr->buf);
        capture_count = lre_get_capture_count(bc_arr->buf);
        if (is_replaceAll && !(re_flags & LRE_FLAG_GLOBAL))
            return JS_ThrowTypeError(ctx, "replaceAll must be called with a global RegExp");

        if (re_flags & LRE_FLAG_GLOBAL)
            p->u.regexp.last_index = 0;

        if ((re_flags & (LRE_FLAG_GLOBAL | LRE_FLAG_STICKY)) == 0) {
            last_index = 0;
        } else {
            last_index = max_int(p->u.regexp.last_index, 0);
        }

        subject = JS_PushGCRef(ctx, &subject_ref);
        *subject = tsfdw_regexp_subject(ctx, *this_val, re_flags);
        if (JS_IsException(*subject)) {
            JS_PopGCRef(ctx, &subject_ref);
            return JS_EXCEPTION;
        }
        p = JS_VALUE_TO_PTR(argv[0]);
        bc_arr = JS_VALUE_TO_PTR(p->u.regexp.byte_code);
        carr = js_alloc_byte_array(ctx, sizeof(uint32_t) * lre_get_alloc_count(bc_arr->buf));
        if (!carr) {
            JS_PopGCRef(ctx, &subject_ref);
            return JS_EXCEPTION;
        }
        capture_buf = JS_PushGCRef(ctx, &capture_buf_ref);
        *capture_buf = JS_VALUE_FROM_PTR(carr);
        capture = (uint32_t *)carr->buf;
        for(i = 0; i < 2 * capture_count; i++)
            capture[i] = -1;

        for(;;) {
            if (last_index > input_len) {
                ret = 0;
            } else {
                JSString *str;
                JSStringCharBuf str_buf;
                uint32_t from = js_string_utf16_to_utf8_pos(ctx, *subject, last_index) / 2;
                p = JS_VALUE_TO_PTR(argv[0]);
                str = get_string_ptr(ctx, &str_buf, *subject);
                /* JS_VALUE_FROM_PTR(str) is acceptable here because the
                   GC ignores pointers outside the heap */
                JS_PUSH_STRING_BUFFER(ctx, b);
                ret = lre_exec(ctx, *capture_buf, p->u.regexp.byte_code,
                               JS_VALUE_FROM_PTR(str), from);
                JS_POP_STRING_BUFFER(ctx, b);
            }
            if (ret < 0) {
                JS_PopGCRef(ctx, &capture_buf_ref);
                JS_PopGCRef(ctx, &subject_ref);
                return JS_EXCEPTION;
            }
            if (ret == 0) {
                if (re_flags & (LRE_FLAG_GLOBAL | LRE_FLAG_STICKY)) {
                    p = JS_VALUE_TO_PTR(argv[0]);
                    p->u.regexp.last_index = 0;
                }
                break;
            }
            capture = (uint32_t *)((JSByteArray *)JS_VALUE_TO_PTR(*capture_buf))->buf;
            start = js_string_utf8_to_utf16_pos(ctx, *subject, capture[0] * 2);
            end = js_string_utf8_to_utf16_pos(ctx, *subject, capture[1] * 2);
            string_buffer_concat_utf16(ctx, b, *this_val, endOfLastMatch, start);
            tsfdw_concat_subst(ctx, b, this_val, subject, &argv[1],
                               start, end, capture_buf, capture_count);
            endOfLastMatch = end;
            if (!(re_flags & LRE_FLAG_GLOBAL)) {
                if (re_flags & LRE_FLAG_STICKY) {
                    p = JS_VALUE_TO_PTR(argv[0]);
                    p->u.regexp.last_index = end;
                }
                break;
            }
            if (end == start)
                end = tsfdw_advance(ctx, *this_val, end, re_flags);
            last_index = end;
        }
        JS_PopGCRef(ctx, &capture_buf_ref);
        JS_PopGCRef(ctx, &subject_ref);
    } else {
        needle_len = js_string_len(ctx, argv[0]);

        is_first = TRUE;
        for(;;) {
            if (unlikely(needle_len == 0)) {
                if (is_first)
                    pos = 0;
                else if (endOfLastMatch >= input_len)
                    pos = -1;
                else
                    pos = endOfLastMatch + 1;
            } else {
                pos = js_string_indexof(ctx, *this_val, argv[0], endOfLastMatch,
                                        input_len, needle_len);
            }
            if (pos < 0) {
                if (is_first) {
                    string_buffer_end(ctx, b);
                    return *this_val;
                } else {
                    break;
                }
            }

            string_buffer_concat_utf16(ctx, b, *this_val, endOfLastMatch, pos);

            js_string_concat_subst(ctx, b, this_val, &argv[1],
                                   pos, pos + needle_len, NULL, 0);

            endOfLastMatch = pos + needle_len;
            is_first = FALSE;
            if (!is_replaceAll)
                break;
        }
    }
    string_buffer_concat_utf16(ctx, b, *this_val, endOfLastMatch, input_len);
    return string_buffer_end(ctx, b);
}

/* ------------------------------------------------------------------------------ Object */

/* Is the property key (short int or unique string) an ES array index (0 … 2^32-2)? Keys above
 * the short-int range stay strings in MicroQuickJS. */
static BOOL tsfdw_array_index(JSValue key, uint32_t *pidx)
{
    JSString *p;
    uint64_t v = 0;
    uint32_t i;

    if (JS_IsInt(key)) {
        if (JS_VALUE_GET_INT(key) < 0)
            return FALSE;
        *pidx = JS_VALUE_GET_INT(key);
        return TRUE;
    }
    if (!JS_IsPtr(key))
        return FALSE;
    p = JS_VALUE_TO_PTR(key);
    if (p->mtag != JS_MTAG_STRING || !p->is_ascii || p->len == 0 || p->len > 10 || (p->buf[0] == '0' && p->len > 1))
        return FALSE;
    for (i = 0; i < p->len; i++) {
        if (p->buf[i] < '0' || p->buf[i] > '9')
            return FALSE;
        v = v * 10 + (p->buf[i] - '0');
    }
    if (v > 4294967294u)
        return FALSE;
    *pidx = (uint32_t)v;
    return TRUE;
}

static uint32_t tsfdw_key_index(JSValue key)
{
    uint32_t i = 0;
    tsfdw_array_index(key, &i);
    return i;
}

/* Heap sort of array-index keys by value (no allocation, O(n log n) for objects keyed by ids). */
static void tsfdw_sort_index_keys(JSValue *a, int n)
{
    int start, end, root, child;
    JSValue t;
    for (start = n / 2 - 1, end = n; end > 1;) {
        if (start >= 0) {
            root = start--;
        } else {
            end--;
            t = a[0]; a[0] = a[end]; a[end] = t;
            root = 0;
        }
        for (;;) {
            child = 2 * root + 1;
            if (child >= end)
                break;
            if (child + 1 < end && tsfdw_key_index(a[child + 1]) > tsfdw_key_index(a[child]))
                child++;
            if (tsfdw_key_index(a[root]) >= tsfdw_key_index(a[child]))
                break;
            t = a[root]; a[root] = a[child]; a[child] = t;
            root = child;
        }
    }
}

/* Object.keys, and the keys of for…in (this_val == NULL) and JSON.stringify: own enumerable keys
 * in ES order — array indices first, ascending, then the other keys in insertion order (upstream
 * kept integer keys in insertion order and listed hidden ones). A string gives its indices;
 * null/undefined throw (for…in: nothing), other primitives give nothing. */
JSValue js_object_keys(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSObject *p, *pret;
    JSValue ret, str;
    JSValueArray *arr, *ret_arr;
    int array_len, prop_count, hash_mask, i, j, n_index, n_rest, pos, rest;
    JSGCRef ret_ref;
    uint32_t idx;

    if (!JS_IsObject(ctx, argv[0])) {
        if (JS_IsString(ctx, argv[0])) {
            array_len = js_string_len(ctx, argv[0]);
        } else if (JS_IsNull(argv[0]) || JS_IsUndefined(argv[0])) {
            if (this_val != NULL)
                return JS_ThrowTypeError(ctx, "Cannot convert undefined or null to object");
            array_len = 0;
        } else {
            array_len = 0;
        }
        ret = JS_NewArray(ctx, array_len);
        for (i = 0; i < array_len && !JS_IsException(ret); i++) {
            JS_PUSH_VALUE(ctx, ret);
            str = JS_ToString(ctx, JS_NewShortInt(i));
            JS_POP_VALUE(ctx, ret);
            if (JS_IsException(str))
                return str;
            pret = JS_VALUE_TO_PTR(ret);
            ((JSValueArray *)JS_VALUE_TO_PTR(pret->u.array.tab))->arr[i] = str;
        }
        return ret;
    }
    p = JS_VALUE_TO_PTR(argv[0]);
    if (p->class_id == JS_CLASS_ARRAY) {
        array_len = p->u.array.len;
    } else if (p->class_id >= JS_CLASS_UINT8C_ARRAY && p->class_id <= JS_CLASS_FLOAT64_ARRAY) {
        array_len = p->u.typed_array.len;
    } else {
        array_len = 0;
    }

    arr = JS_VALUE_TO_PTR(p->props);
    prop_count = JS_VALUE_GET_INT(arr->arr[0]);
    hash_mask = JS_VALUE_GET_INT(arr->arr[1]);
    n_index = n_rest = 0;
    for (i = 0, j = 0; j < prop_count; i++) {
        JSProperty *pr = (JSProperty *)&arr->arr[2 + hash_mask + 1 + 3 * i];
        if (pr->key == JS_UNINITIALIZED)
            continue; /* deleted */
        j++;
        if (pr->tsfdw_hidden)
            continue;
        if (tsfdw_array_index(pr->key, &idx))
            n_index++;
        else
            n_rest++;
    }

    ret = JS_NewArray(ctx, array_len + n_index + n_rest);
    if (JS_IsException(ret))
        return ret;

    /* the keys themselves first (no allocation), then sorted, then turned into strings */
    p = JS_VALUE_TO_PTR(argv[0]);
    arr = JS_VALUE_TO_PTR(p->props);
    pret = JS_VALUE_TO_PTR(ret);
    ret_arr = JS_VALUE_TO_PTR(pret->u.array.tab);
    for (i = 0; i < array_len; i++)
        ret_arr->arr[i] = JS_NewShortInt(i);
    pos = array_len;
    rest = array_len + n_index;
    for (i = 0, j = 0; j < prop_count; i++) {
        JSProperty *pr = (JSProperty *)&arr->arr[2 + hash_mask + 1 + 3 * i];
        if (pr->key == JS_UNINITIALIZED)
            continue;
        j++;
        if (pr->tsfdw_hidden)
            continue;
        if (tsfdw_array_index(pr->key, &idx))
            ret_arr->arr[pos++] = pr->key;
        else
            ret_arr->arr[rest++] = pr->key;
    }
    tsfdw_sort_index_keys(ret_arr->arr + array_len, n_index);

    for (i = 0; i < rest; i++) {
        pret = JS_VALUE_TO_PTR(ret);
        ret_arr = JS_VALUE_TO_PTR(pret->u.array.tab);
        str = ret_arr->arr[i];
        if (JS_IsInt(str)) {
            JS_PUSH_VALUE(ctx, ret);
            str = JS_ToString(ctx, str);
            JS_POP_VALUE(ctx, ret);
            if (JS_IsException(str))
                return str;
            pret = JS_VALUE_TO_PTR(ret);
            ret_arr = JS_VALUE_TO_PTR(pret->u.array.tab);
            ret_arr->arr[i] = str;
        }
    }
    return ret;
}

/* Object.defineProperty: as upstream (value or get/set; writable and configurable are not
 * modelled), plus `enumerable` — false by default for a new property, as in ES. */
JSValue tsfdw_object_defineProperty(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSValue key, ret;
    JSProperty *pr;
    int existed, has_enum = 0, enumerable = 0;

    if (!JS_IsObject(ctx, argv[0]))
        return JS_ThrowTypeError(ctx, "not an object");
    argv[1] = JS_ToPropertyKey(ctx, argv[1]);
    if (JS_IsException(argv[1]))
        return JS_EXCEPTION;
    existed = find_own_property(ctx, JS_VALUE_TO_PTR(argv[0]), argv[1]) != NULL;
    if (JS_IsObject(ctx, argv[2])) {
        key = JS_NewString(ctx, "enumerable");
        if (!JS_IsException(key))
            key = JS_ToPropertyKey(ctx, key);
        if (JS_IsException(key))
            return JS_EXCEPTION;
        has_enum = JS_HasProperty(ctx, argv[2], key);
        if (has_enum) {
            JSValue v = JS_GetProperty(ctx, argv[2], key);
            if (JS_IsException(v))
                return JS_EXCEPTION;
            enumerable = JS_ToBool(ctx, v);
        }
    }
    ret = js_object_defineProperty(ctx, this_val, argc, argv);
    if (JS_IsException(ret))
        return ret;
    pr = find_own_property(ctx, JS_VALUE_TO_PTR(argv[0]), argv[1]);
    if (pr != NULL && !JS_IS_ROM_PTR(ctx, pr)) {
        if (has_enum)
            pr->tsfdw_hidden = !enumerable;
        else if (!existed)
            pr->tsfdw_hidden = 1;
    }
    return ret;
}

/* Object.prototype.hasOwnProperty: as upstream, plus the own `length` of arrays and strings and
 * the indices of strings (upstream: false, or a TypeError on a string). */
JSValue tsfdw_object_hasOwnProperty(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSValue prop;
    JSObject *p;

    if (JS_IsNull(*this_val) || JS_IsUndefined(*this_val))
        return JS_ThrowTypeError(ctx, "Cannot convert undefined or null to object");
    prop = JS_ToPropertyKey(ctx, argv[0]);
    if (JS_IsException(prop))
        return prop;
    argv[0] = prop;
    if (JS_IsString(ctx, *this_val)) {
        if (prop == js_get_atom(ctx, JS_ATOM_length))
            return JS_TRUE;
        return JS_NewBool(JS_IsInt(prop) && JS_VALUE_GET_INT(prop) >= 0 && JS_VALUE_GET_INT(prop) < js_string_len(ctx, *this_val));
    }
    if (!JS_IsObject(ctx, *this_val))
        return JS_FALSE;
    p = JS_VALUE_TO_PTR(*this_val);
    if (p->class_id == JS_CLASS_ARRAY && prop == js_get_atom(ctx, JS_ATOM_length))
        return JS_TRUE;
    return js_object_hasOwnProperty(ctx, this_val, argc, argv);
}

/* ------------------------------------------------------------------------------ String, Boolean */

/* String.prototype.toString / valueOf (upstream has neither: "x".toString() was Object's,
 * "[object String]"). MicroQuickJS has no String objects, so `this` is a string or an error. */
JSValue tsfdw_string_toString(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    if (JS_IsString(ctx, *this_val))
        return *this_val;
    return JS_ThrowTypeError(ctx, "String.prototype.toString requires that 'this' be a String");
}

/* Boolean.prototype.toString (magic 0) / valueOf (magic 1). */
JSValue tsfdw_boolean_toString(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv, int magic)
{
    if (!JS_IsBool(*this_val))
        return JS_ThrowTypeError(ctx, "Boolean.prototype.toString requires that 'this' be a Boolean");
    if (magic)
        return *this_val;
    return js_get_atom(ctx, *this_val == JS_TRUE ? JS_ATOM_true : JS_ATOM_false);
}

/* ------------------------------------------------------------------------------ JSON.stringify */
/* As upstream (no replacer, no indentation, no toJSON: compat.ts rejects those), but a function
 * in an object is left out as undefined is, and JSON.stringify(undefined or a function) is
 * undefined (upstream wrote null for both). */
JSValue tsfdw_json_stringify(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv)
{
    JSValue obj, *stack_top;
    StringBuffer b_s, *b = &b_s;
    JSGCRef b_ref;
    int idx, ret;

    if (JS_IsUndefined(argv[0]) || JS_IsFunction(ctx, argv[0]))
        return JS_UNDEFINED;
    string_buffer_init(ctx, b, 0);
    stack_top = ctx->sp;

    JS_PUSH_STRING_BUFFER(ctx, b);
    ret = JS_StackCheck(ctx, JSON_REC_SIZE);
    JS_POP_STRING_BUFFER(ctx, b);
    if (ret)
        goto fail;
    *--ctx->sp = JS_NULL; /* keys */
    *--ctx->sp = JS_NewShortInt(0); /* prop index */
    *--ctx->sp = argv[0]; /* object */

    while (ctx->sp < stack_top) {
        obj = ctx->sp[0];
        if (JS_IsFunction(ctx, obj)) {
            goto output_null; /* in an array */
        } else if (JS_IsObject(ctx, obj)) {
            JSObject *p = JS_VALUE_TO_PTR(obj);
            idx = JS_VALUE_GET_INT(ctx->sp[1]);
            if (p->class_id == JS_CLASS_ARRAY) {
                JSValueArray *arr;
                JSValue val;

                if (idx == 0)
                    string_buffer_putc(ctx, b, '[');
                p = JS_VALUE_TO_PTR(ctx->sp[0]);
                if (idx >= p->u.array.len) {
                    string_buffer_putc(ctx, b, ']');
                    ctx->sp += JSON_REC_SIZE;
                } else {
                    if (idx != 0)
                        string_buffer_putc(ctx, b, ',');
                    ctx->sp[1] = JS_NewShortInt(idx + 1);
                    JS_PUSH_STRING_BUFFER(ctx, b);
                    ret = JS_StackCheck(ctx, JSON_REC_SIZE);
                    JS_POP_STRING_BUFFER(ctx, b);
                    if (ret)
                        goto fail;
                    p = JS_VALUE_TO_PTR(ctx->sp[0]);
                    arr = JS_VALUE_TO_PTR(p->u.array.tab);
                    val = arr->arr[idx];
                    if (check_circular_ref(ctx, stack_top, val))
                        goto fail;
                    *--ctx->sp = JS_NULL;
                    *--ctx->sp = JS_NewShortInt(0);
                    *--ctx->sp = val;
                }
            } else {
                JSValueArray *arr;
                JSValue val, prop;
                JSGCRef val_ref;
                int saved_idx;

                if (idx == 0) {
                    string_buffer_putc(ctx, b, '{');
                    ctx->sp[2] = js_object_keys(ctx, NULL, 1, &ctx->sp[0]);
                    if (JS_IsException(ctx->sp[2]))
                        goto fail;
                }
                saved_idx = idx;
                for(;;) {
                    p = JS_VALUE_TO_PTR(ctx->sp[2]); /* keys */
                    if (idx >= p->u.array.len) {
                        string_buffer_putc(ctx, b, '}');
                        ctx->sp += JSON_REC_SIZE;
                        goto end_obj;
                    } else {
                        arr = JS_VALUE_TO_PTR(p->u.array.tab);
                        JS_PUSH_STRING_BUFFER(ctx, b);
                        prop = JS_ToPropertyKey(ctx, arr->arr[idx]);
                        val = JS_GetProperty(ctx, ctx->sp[0], prop);
                        JS_POP_STRING_BUFFER(ctx, b);
                        if (JS_IsException(val))
                            goto fail;
                        /* skip undefined and function properties */
                        if (!JS_IsUndefined(val) && !JS_IsFunction(ctx, val))
                            break;
                        idx++;
                    }
                }
                /* sp[1] moves past a key only when it is written: resuming at 0 means nothing yet */
                if (saved_idx != 0)
                    string_buffer_putc(ctx, b, ',');
                ctx->sp[1] = JS_NewShortInt(idx + 1);
                p = JS_VALUE_TO_PTR(ctx->sp[2]);
                arr = JS_VALUE_TO_PTR(p->u.array.tab);
                JS_PUSH_VALUE(ctx, val);
                ret = js_to_quoted_string(ctx, b, arr->arr[idx]);
                JS_POP_VALUE(ctx, val);
                if (ret)
                    goto fail;
                string_buffer_putc(ctx, b, ':');

                JS_PUSH_VALUE(ctx, val);
                JS_PUSH_STRING_BUFFER(ctx, b);
                ret = JS_StackCheck(ctx, JSON_REC_SIZE);
                JS_POP_STRING_BUFFER(ctx, b);
                JS_POP_VALUE(ctx, val);
                if (ret)
                    goto fail;
                if (check_circular_ref(ctx, stack_top, val))
                    goto fail;
                *--ctx->sp = JS_NULL;
                *--ctx->sp = JS_NewShortInt(0);
                *--ctx->sp = val;
            end_obj: ;
            }
        } else if (JS_IsNumber(ctx, obj)) {
            double d;
            JS_PUSH_STRING_BUFFER(ctx, b);
            ret = JS_ToNumber(ctx, &d, obj);
            JS_POP_STRING_BUFFER(ctx, b);
            if (ret)
                goto fail;
            if (!isfinite(d))
                goto output_null;
            goto to_string;
        } else if (JS_IsBool(obj)) {
        to_string:
            if (string_buffer_concat(ctx, b, obj))
                goto fail;
            ctx->sp += JSON_REC_SIZE;
        } else if (JS_IsString(ctx, obj)) {
            if (js_to_quoted_string(ctx, b, obj))
                goto fail;
            ctx->sp += JSON_REC_SIZE;
        } else {
        output_null:
            string_buffer_concat(ctx, b, js_get_atom(ctx, JS_ATOM_null));
            ctx->sp += JSON_REC_SIZE;
        }
    }
    return string_buffer_end(ctx, b);

 fail:
    ctx->sp = stack_top;
    return JS_EXCEPTION;
}

/* ------------------------------------------------------------------------------ Case mapping */
/* toLowerCase / toUpperCase over all of Unicode as V8 and QuickJS-ng do (upstream: ASCII only):
 * the simple mappings, the unconditional multi-character ones (ß → SS, İ → i̇, ﬁ → FI, …) and
 * the final sigma (Σ → ς at the end of a word). Tables: case_tables.h (generated, see
 * gen-case-tables.mjs). No locale rules (toLocaleUpperCase does not exist here). */
#include "case_tables.h"

#define TSFDW_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The code point a run maps c to, or c. */
static uint32_t tsfdw_case_simple(const uint32_t *runs, const int32_t *delta, int n, uint32_t c)
{
    int lo = 0, hi = n - 1, found = -1;
    uint32_t start, count, step;
    while (lo <= hi) {
        int mid = (lo + hi) >> 1;
        if ((runs[mid] >> 11) <= c) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (found < 0)
        return c;
    start = runs[found] >> 11;
    count = (runs[found] >> 1) & 0x3ff;
    step = (runs[found] & 1) + 1;
    if (c >= start + count * step || (c - start) % step != 0)
        return c;
    return (uint32_t)((int32_t)c + delta[found]);
}

/* The 2 or 3 code points of a special mapping, or NULL (the tables are sorted by code point). */
static const uint16_t *tsfdw_case_special(const uint16_t *tab, int n4, uint32_t c)
{
    int lo = 0, hi = n4 / 4 - 1;
    if (c > 0xffff)
        return NULL;
    while (lo <= hi) {
        int mid = (lo + hi) >> 1;
        if (tab[4 * mid] == c)
            return tab + 4 * mid + 1;
        if (tab[4 * mid] < c)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static BOOL tsfdw_in_ranges(const uint32_t *tab, int n, uint32_t c)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) >> 1;
        uint32_t start = tab[mid] >> 11, len = (tab[mid] & 0x7ff) + 1;
        if (c < start)
            hi = mid - 1;
        else if (c >= start + len)
            lo = mid + 1;
        else
            return TRUE;
    }
    return FALSE;
}

/* Final_Sigma (Unicode 3.13): a cased letter before (case-ignorable ones skipped), none after. */
static BOOL tsfdw_final_sigma(const uint8_t *s, size_t len, size_t at, size_t clen)
{
    size_t i = at, n;
    int c;
    BOOL before = FALSE;
    while (i > 0) {
        do
            i--;
        while (i > 0 && (s[i] & 0xc0) == 0x80);
        c = utf8_get(s + i, &n);
        if (tsfdw_in_ranges(tsfdw_case_ignorable, TSFDW_COUNT(tsfdw_case_ignorable), c))
            continue;
        before = tsfdw_in_ranges(tsfdw_cased, TSFDW_COUNT(tsfdw_cased), c);
        break;
    }
    if (!before)
        return FALSE;
    for (i = at + clen; i < len; i += n) {
        c = utf8_get(s + i, &n);
        if (tsfdw_in_ranges(tsfdw_case_ignorable, TSFDW_COUNT(tsfdw_case_ignorable), c))
            continue;
        return !tsfdw_in_ranges(tsfdw_cased, TSFDW_COUNT(tsfdw_cased), c);
    }
    return TRUE;
}

/* String.prototype.toLowerCase (magic 1) / toUpperCase (magic 0). */
JSValue tsfdw_string_toLowerCase(JSContext *ctx, JSValue *this_val, int argc, JSValue *argv, int to_lower)
{
    StringBuffer b_s, *b = &b_s;
    JSStringCharBuf buf;
    JSString *p;
    size_t i, len, clen;
    int c;

    *this_val = JS_ToStringCheckObject(ctx, *this_val);
    if (JS_IsException(*this_val))
        return *this_val;
    p = get_string_ptr(ctx, &buf, *this_val);
    len = p->len;
    if (string_buffer_init(ctx, b, len))
        return JS_EXCEPTION;
    for (i = 0; i < len; i += clen) {
        const uint16_t *special;
        /* appending may move the string: read it again each time */
        p = get_string_ptr(ctx, &buf, *this_val);
        c = utf8_get(p->buf + i, &clen);
        if (c < 0x80) {
            if (to_lower ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'))
                c ^= 0x20;
        } else if (to_lower && c == 0x3a3) {
            c = tsfdw_final_sigma(p->buf, len, i, clen) ? 0x3c2 : 0x3c3;
        } else if ((special = to_lower ? tsfdw_case_special(tsfdw_lower_special, TSFDW_COUNT(tsfdw_lower_special), c)
                                       : tsfdw_case_special(tsfdw_upper_special, TSFDW_COUNT(tsfdw_upper_special), c)) != NULL) {
            string_buffer_putc(ctx, b, special[0]);
            string_buffer_putc(ctx, b, special[1]);
            c = special[2];
            if (c == 0)
                continue;
        } else {
            c = to_lower ? tsfdw_case_simple(tsfdw_lower_runs, tsfdw_lower_delta, TSFDW_COUNT(tsfdw_lower_runs), c)
                         : tsfdw_case_simple(tsfdw_upper_runs, tsfdw_upper_delta, TSFDW_COUNT(tsfdw_upper_runs), c);
        }
        if (string_buffer_putc(ctx, b, c))
            return JS_EXCEPTION;
    }
    return string_buffer_end(ctx, b);
}
