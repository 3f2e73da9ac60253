// String methods missing from MicroQuickJS (it has trim, trimStart, trimEnd, replaceAll,
// codePointAt, fromCodePoint natively), and replace/replaceAll with a replacement *function*,
// which MicroQuickJS rejects ("functional replace is not supported"). Arguments are converted as
// ES does: positions by ToIntegerOrInfinity then clamped, search strings by String(x); a RegExp
// search argument to includes/startsWith/endsWith is a TypeError, as in ES.

//@unit String.prototype.includes String.prototype.startsWith String.prototype.endsWith
(function () {
  var S = String.prototype;
  function str(self, name) {
    if (self === null || self === undefined) throw new TypeError("String.prototype." + name + " called on null or undefined");
    return String(self);
  }
  function search(x, name) {
    if (x instanceof RegExp) throw new TypeError("First argument to String.prototype." + name + " must not be a regular expression");
    return String(x);
  }
  function pos(x, len, dflt) {
    if (x === undefined) return dflt;
    var n = +x;
    n = n !== n ? 0 : n < 0 ? Math.ceil(n) : Math.floor(n);
    return n < 0 ? 0 : n > len ? len : n;
  }
  if (!S.includes)
    S.includes = function includes(x, position) {
      var s = str(this, "includes"), t = search(x, "includes");
      return s.indexOf(t, pos(position, s.length, 0)) !== -1;
    };
  if (!S.startsWith)
    S.startsWith = function startsWith(x, position) {
      var s = str(this, "startsWith"), t = search(x, "startsWith");
      var start = pos(position, s.length, 0);
      return s.slice(start, start + t.length) === t;
    };
  if (!S.endsWith)
    S.endsWith = function endsWith(x, endPosition) {
      var s = str(this, "endsWith"), t = search(x, "endsWith");
      var end = pos(endPosition, s.length, s.length);
      var start = end - t.length;
      return start >= 0 && s.slice(start, end) === t;
    };
})();

//@unit String.prototype.repeat String.prototype.padStart String.prototype.padEnd
(function () {
  var S = String.prototype;
  function repeat(s, n) {
    var out = "";
    while (n > 0) {
      if (n & 1) out += s;
      n = Math.floor(n / 2);
      if (n > 0) s += s;
    }
    return out;
  }
  function pad(self, maxLength, fill, atStart, name) {
    if (self === null || self === undefined) throw new TypeError("String.prototype." + name + " called on null or undefined");
    var s = String(self);
    var n = +maxLength;
    n = n !== n || n <= 0 ? 0 : Math.min(Math.floor(n), 9007199254740991);
    var f = fill === undefined ? " " : String(fill);
    if (n <= s.length || f === "") return s;
    var fillLen = n - s.length;
    var filler = repeat(f, Math.ceil(fillLen / f.length)).slice(0, fillLen);
    return atStart ? filler + s : s + filler;
  }
  if (!S.repeat)
    S.repeat = function (count) {
      if (this === null || this === undefined) throw new TypeError("String.prototype.repeat called on null or undefined");
      var s = String(this);
      var n = +count;
      n = n !== n ? 0 : n < 0 ? Math.ceil(n) : Math.floor(n);
      if (n < 0 || n === Infinity) throw new RangeError("Invalid count value: " + count);
      return repeat(s, n);
    };
  if (!S.padStart)
    S.padStart = function padStart(maxLength, fillString) {
      return pad(this, maxLength, fillString, true, "padStart");
    };
  if (!S.padEnd)
    S.padEnd = function padEnd(maxLength, fillString) {
      return pad(this, maxLength, fillString, false, "padEnd");
    };
})();

//@unit String.prototype.replace String.prototype.replaceAll
//@triggers replace()fn replaceAll()fn
(function () {
  var S = String.prototype;
  var works = false;
  try {
    works = "a".replace("a", function () {
      return "b";
    }) === "b";
  } catch (e) {
    // MicroQuickJS: "functional replace is not supported"
  }
  if (works) return;
  var nativeReplace = S.replace;
  var nativeReplaceAll = S.replaceAll;
  // fn(match, p1…pn, offset, string): its result is inserted as is ($ patterns are not expanded).
  function call(fn, m, index, s) {
    var args = [];
    for (var i = 0; i < m.length; i++) args.push(m[i]);
    args.push(index, s);
    return String(fn.apply(undefined, args));
  }
  function withFunction(s, pattern, fn, all) {
    var out = "", last = 0, m, i;
    if (pattern instanceof RegExp) {
      var flags = pattern.flags;
      var global = flags.indexOf("g") >= 0;
      if (all && !global) throw new TypeError("replaceAll must be called with a global RegExp");
      if (!global) {
        m = pattern.exec(s);
        if (m === null) return s;
        return s.slice(0, m.index) + call(fn, m, m.index, s) + s.slice(m.index + m[0].length);
      }
      var unicode = flags.indexOf("u") >= 0;
      var matches = [];
      pattern.lastIndex = 0;
      while ((m = pattern.exec(s)) !== null) {
        matches.push(m);
        if (m[0] === "") {
          // An empty match: step over one character (a code point with the u flag). At the end,
          // stop: MicroQuickJS' exec clamps a lastIndex past the end instead of failing.
          var at = pattern.lastIndex, c = s.charCodeAt(at);
          if (at >= s.length) break;
          pattern.lastIndex = at + (unicode && c >= 0xd800 && c <= 0xdbff && at + 1 < s.length && s.charCodeAt(at + 1) >= 0xdc00 && s.charCodeAt(at + 1) <= 0xdfff ? 2 : 1);
        }
      }
      for (i = 0; i < matches.length; i++) {
        m = matches[i];
        if (m.index < last) continue;
        out += s.slice(last, m.index) + call(fn, m, m.index, s);
        last = m.index + m[0].length;
      }
      return out + s.slice(last);
    }
    var t = String(pattern);
    var positions = [];
    var p = s.indexOf(t, 0);
    while (p !== -1) {
      positions.push(p);
      var from = p + (t.length || 1);
      if (!all || from > s.length) break;
      p = s.indexOf(t, from);
    }
    for (i = 0; i < positions.length; i++) {
      out += s.slice(last, positions[i]) + call(fn, [t], positions[i], s);
      last = positions[i] + t.length;
    }
    return out + s.slice(last);
  }
  S.replace = function replace(pattern, replacement) {
    if (typeof replacement !== "function") return nativeReplace.call(this, pattern, replacement);
    if (this === null || this === undefined) throw new TypeError("String.prototype.replace called on null or undefined");
    return withFunction(String(this), pattern, replacement, false);
  };
  S.replaceAll = function replaceAll(pattern, replacement) {
    if (typeof replacement !== "function") {
      if (pattern instanceof RegExp && pattern.flags.indexOf("g") < 0) throw new TypeError("replaceAll must be called with a global RegExp");
      return nativeReplaceAll.call(this, pattern, replacement);
    }
    if (this === null || this === undefined) throw new TypeError("String.prototype.replaceAll called on null or undefined");
    return withFunction(String(this), pattern, replacement, true);
  };
})();

//@unit String.raw
(function () {
  if (String.raw) return;
  String.raw = function raw(strings) {
    var r = strings.raw, n = r.length >>> 0, out = "";
    for (var i = 0; i < n; i++) {
      out += String(r[i]);
      if (i + 1 < n && i + 1 < arguments.length) out += String(arguments[i + 1]);
    }
    return out;
  };
})();
