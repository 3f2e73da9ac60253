// Array methods missing from MicroQuickJS. Index arguments are converted as ES does
// (ToIntegerOrInfinity: NaN → 0, fractions truncated, negative = from the end). MicroQuickJS
// arrays cannot have holes, and none of these create any.

//@unit Array.prototype.includes
(function () {
  if (Array.prototype.includes) return;
  Array.prototype.includes = function includes(x, fromIndex) {
    var len = this.length >>> 0;
    var n = +fromIndex;
    n = n !== n ? 0 : n < 0 ? Math.ceil(n) : Math.floor(n);
    var i = n >= 0 ? n : Math.max(len + n, 0);
    for (; i < len; i++) {
      var v = this[i];
      if (v === x || (v !== v && x !== x)) return true;
    }
    return false;
  };
})();

//@unit Array.prototype.find Array.prototype.findIndex Array.prototype.findLast Array.prototype.findLastIndex
(function () {
  // kind: 0 find, 1 findIndex, 2 findLast, 3 findLastIndex
  function finder(kind) {
    return function (fn, thisArg) {
      if (typeof fn !== "function") throw new TypeError(fn + " is not a function");
      var len = this.length >>> 0;
      for (var j = 0; j < len; j++) {
        var i = kind < 2 ? j : len - 1 - j;
        var v = this[i];
        if (fn.call(thisArg, v, i, this)) return kind & 1 ? i : v;
      }
      return kind & 1 ? -1 : undefined;
    };
  }
  var names = ["find", "findIndex", "findLast", "findLastIndex"];
  for (var k = 0; k < 4; k++) if (!Array.prototype[names[k]]) Array.prototype[names[k]] = finder(k);
})();

//@unit Array.prototype.fill
(function () {
  if (Array.prototype.fill) return;
  function rel(x, len, dflt) {
    if (x === undefined) return dflt;
    var n = +x;
    n = n !== n ? 0 : n < 0 ? Math.ceil(n) : Math.floor(n);
    return n < 0 ? Math.max(len + n, 0) : Math.min(n, len);
  }
  Array.prototype.fill = function fill(value, start, end) {
    var len = this.length >>> 0;
    var to = rel(end, len, len);
    for (var i = rel(start, len, 0); i < to; i++) this[i] = value;
    return this;
  };
})();

//@unit Array.prototype.at String.prototype.at
(function () {
  function at(i) {
    var len = this.length >>> 0;
    var n = +i;
    n = n !== n ? 0 : n < 0 ? Math.ceil(n) : Math.floor(n);
    if (n < 0) n += len;
    if (n < 0 || n >= len) return undefined;
    return typeof this === "string" ? this.charAt(n) : this[n];
  }
  if (!Array.prototype.at) Array.prototype.at = at;
  if (!String.prototype.at) String.prototype.at = at;
})();

//@unit Array.from Array.of
(function () {
  if (!Array.from)
    Array.from = function from(items, mapFn, thisArg) {
      if (mapFn !== undefined && typeof mapFn !== "function") throw new TypeError(mapFn + " is not a function");
      if (items === null || items === undefined) throw new TypeError(items + " is not iterable");
      var out = [], i;
      if (typeof items === "string") {
        // A string iterates by code point. Its length is read once: MicroQuickJS can misreport
        // s.length right after s.charAt(i).
        var n = items.length;
        for (i = 0; i < n; i++) {
          var c = items.charCodeAt(i), ch = items.charAt(i);
          if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
            var d = items.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) ch += items.charAt(++i);
          }
          out.push(ch);
        }
      } else if (typeof Map === "function" && items instanceof Map) {
        items.forEach(function (v, k) {
          out.push([k, v]);
        });
      } else if (typeof Set === "function" && items instanceof Set) {
        items.forEach(function (v) {
          out.push(v);
        });
      } else {
        // An array or an array-like ({ length: n, 0: …, 1: … }).
        var len = Number(items.length);
        len = len !== len || len <= 0 ? 0 : Math.min(Math.floor(len), 9007199254740991);
        for (i = 0; i < len; i++) out.push(items[i]);
      }
      if (mapFn !== undefined) for (i = 0; i < out.length; i++) out[i] = mapFn.call(thisArg, out[i], i);
      return out;
    };
  if (!Array.of)
    Array.of = function of() {
      return Array.prototype.slice.call(arguments);
    };
})();
