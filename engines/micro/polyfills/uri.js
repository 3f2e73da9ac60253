// encodeURIComponent / encodeURI / decodeURIComponent / decodeURI, exactly as ES specifies them:
// UTF-8, uppercase hex, URIError on a lone surrogate (encode) or a malformed escape or UTF-8
// sequence (decode: truncated, overlong, surrogate or > U+10FFFF). MicroQuickJS has none of them.

//@unit encodeURIComponent encodeURI
(function (g) {
  var HEX = "0123456789ABCDEF";
  function hex(b) {
    return "%" + HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  function encoder(keep, fast) {
    return function (value) {
      var s = String(value);
      if (fast.test(s)) return s;
      var out = "";
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        if (c < 128 && keep.indexOf(s.charAt(i)) >= 0) {
          out += s.charAt(i);
          continue;
        }
        if (c >= 0xdc00 && c <= 0xdfff) throw new URIError("URI malformed");
        if (c >= 0xd800 && c <= 0xdbff) {
          var d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
          if (d < 0xdc00 || d > 0xdfff) throw new URIError("URI malformed");
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
        if (c < 0x80) out += hex(c);
        else if (c < 0x800) out += hex(0xc0 | (c >> 6)) + hex(0x80 | (c & 63));
        else if (c < 0x10000) out += hex(0xe0 | (c >> 12)) + hex(0x80 | ((c >> 6) & 63)) + hex(0x80 | (c & 63));
        else out += hex(0xf0 | (c >> 18)) + hex(0x80 | ((c >> 12) & 63)) + hex(0x80 | ((c >> 6) & 63)) + hex(0x80 | (c & 63));
      }
      return out;
    };
  }
  var unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";
  if (typeof g.encodeURIComponent !== "function") g.encodeURIComponent = encoder(unreserved, /^[A-Za-z0-9\-_.!~*'()]*$/);
  if (typeof g.encodeURI !== "function") g.encodeURI = encoder(unreserved + ";/?:@&=+$,#", /^[A-Za-z0-9\-_.!~*'();\/?:@&=+$,#]*$/);
})(globalThis);

//@unit decodeURIComponent decodeURI
(function (g) {
  function byteAt(s, k) {
    // The byte of the escape "%XY" at k, or -1.
    if (s.charAt(k) !== "%") return -1;
    var h = s.substring(k + 1, k + 3);
    return /^[0-9A-Fa-f]{2}$/.test(h) ? parseInt(h, 16) : -1;
  }
  function decoder(reserved) {
    return function (value) {
      var s = String(value);
      if (s.indexOf("%") < 0) return s;
      var out = "", len = s.length;
      for (var k = 0; k < len; k++) {
        var ch = s.charAt(k);
        if (ch !== "%") {
          out += ch;
          continue;
        }
        var start = k;
        if (k + 2 >= len) throw new URIError("URI malformed");
        var b = byteAt(s, k);
        if (b < 0) throw new URIError("URI malformed");
        k += 2;
        if (b < 0x80) {
          var c = String.fromCharCode(b);
          out += reserved.indexOf(c) >= 0 ? s.substring(start, k + 1) : c;
          continue;
        }
        var n = b >= 0xf0 ? (b >= 0xf8 ? 0 : 4) : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
        if (n === 0) throw new URIError("URI malformed");
        if (k + 3 * (n - 1) >= len) throw new URIError("URI malformed");
        var cp = b & (0xff >> (n + 1));
        for (var j = 1; j < n; j++) {
          k++;
          var b2 = byteAt(s, k);
          if (b2 < 0 || (b2 & 0xc0) !== 0x80) throw new URIError("URI malformed");
          k += 2;
          cp = (cp << 6) | (b2 & 63);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        if (cp < [0, 0, 0x80, 0x800, 0x10000][n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) throw new URIError("URI malformed");
        if (cp < 0x10000) out += String.fromCharCode(cp);
        else out += String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 1023));
      }
      return out;
    };
  }
  if (typeof g.decodeURIComponent !== "function") g.decodeURIComponent = decoder("");
  if (typeof g.decodeURI !== "function") g.decodeURI = decoder(";/?:@&=+$,#");
})(globalThis);
