// Object statics missing from MicroQuickJS (it has create, keys, defineProperty, getPrototypeOf,
// setPrototypeOf). "Own enumerable keys" is Object.keys, which the engine gives in ES order
// (array indices first, ascending) without the non-enumerable ones. Primitive arguments are
// converted as ES does (strings give their indices, other primitives nothing); null/undefined
// throw a TypeError.

//@unit Object.assign
(function () {
  if (Object.assign) return;
  var keys = Object.keys;
  Object.assign = function assign(target) {
    if (target === null || target === undefined) throw new TypeError("Cannot convert undefined or null to object");
    var to = Object(target);
    for (var i = 1; i < arguments.length; i++) {
      var s = arguments[i];
      if (s === null || s === undefined) continue;
      if (typeof s === "string") {
        for (var j = 0; j < s.length; j++) to[j] = s.charAt(j);
      } else if (typeof s === "object" || typeof s === "function") {
        var ks = keys(s);
        for (var k = 0; k < ks.length; k++) to[ks[k]] = s[ks[k]];
      }
    }
    return to;
  };
})();

//@unit Object.entries Object.values
(function () {
  var keys = Object.keys;
  function own(o, what) {
    if (o === null || o === undefined) throw new TypeError("Cannot convert undefined or null to object");
    var out = [], i;
    if (typeof o === "string") {
      for (i = 0; i < o.length; i++) out.push(what ? [String(i), o.charAt(i)] : o.charAt(i));
      return out;
    }
    if (typeof o !== "object" && typeof o !== "function") return out;
    var ks = keys(o);
    for (i = 0; i < ks.length; i++) out.push(what ? [ks[i], o[ks[i]]] : o[ks[i]]);
    return out;
  }
  if (!Object.entries)
    Object.entries = function entries(o) {
      return own(o, true);
    };
  if (!Object.values)
    Object.values = function values(o) {
      return own(o, false);
    };
})();

//@unit Object.hasOwn
(function () {
  if (Object.hasOwn) return;
  var has = Object.prototype.hasOwnProperty;
  Object.hasOwn = function hasOwn(o, key) {
    if (o === null || o === undefined) throw new TypeError("Cannot convert undefined or null to object");
    if (typeof o === "string") {
      var n = +key;
      return key === "length" || (String(n >>> 0) === String(key) && n < o.length);
    }
    if (typeof o !== "object" && typeof o !== "function") return false;
    // MicroQuickJS keeps an array's length on Array.prototype, not on the array.
    if (key === "length" && Array.isArray(o)) return true;
    return has.call(o, key);
  };
})();

//@unit Object.freeze Object.isFrozen
(function () {
  // No-ops: MicroQuickJS cannot make properties read-only. Code that relies on a frozen object
  // throwing on writes does not get that protection here.
  if (!Object.freeze)
    Object.freeze = function freeze(o) {
      return o;
    };
  if (!Object.isFrozen)
    Object.isFrozen = function isFrozen(o) {
      return o === null || (typeof o !== "object" && typeof o !== "function");
    };
})();

//@unit Object.fromEntries
(function () {
  if (Object.fromEntries) return;
  Object.fromEntries = function fromEntries(entries) {
    if (entries === null || entries === undefined) throw new TypeError(entries + " is not iterable");
    var out = {};
    function put(e) {
      if (e === null || (typeof e !== "object" && typeof e !== "function")) throw new TypeError("Iterator value " + e + " is not an entry object");
      out[e[0]] = e[1];
    }
    if (Array.isArray(entries)) {
      for (var i = 0; i < entries.length; i++) put(entries[i]);
    } else if (typeof Map === "function" && entries instanceof Map) {
      entries.forEach(function (v, k) {
        out[k] = v;
      });
    } else {
      throw new TypeError("Object.fromEntries(x): x must be an array of [key, value] pairs or a Map (no iterators on MicroQuickJS)");
    }
    return out;
  };
})();

//@unit Object.is
(function () {
  if (Object.is) return;
  Object.is = function is(a, b) {
    if (a === b) return a !== 0 || 1 / a === 1 / b;
    return a !== a && b !== b;
  };
})();
