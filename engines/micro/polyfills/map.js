// Map and Set for MicroQuickJS guests (ES5; no Symbol, so no iterators: iterate with forEach).
// Insertion-ordered. Keys are hashed by type and value in a null-prototype object, so string,
// number, boolean, null and undefined keys are O(1); object keys are compared by identity in a
// list of their own (O(number of object keys)): MicroQuickJS has no WeakMap to tag objects with.
// The internal fields are not enumerable (JSON.stringify(map) is "{}", as in ES). SameValueZero:
// NaN is one key, -0 is +0.
// Deleted entries become holes that forEach skips; the arrays are compacted when more than half
// are holes and no forEach is running, so entries added during forEach are visited, as in ES.

//@unit Map Map.prototype.get Map.prototype.set Map.prototype.has Map.prototype.delete Map.prototype.clear Map.prototype.forEach Map.prototype.size
//@triggers Map
(function (g) {
  if (typeof g.Map === "function") return;
  var HOLE = {};
  // The hash key of a primitive, or null for objects and functions.
  function hashKey(k) {
    switch (typeof k) {
      case "string":
        return "s" + k;
      case "number":
        return k !== k ? "N" : "n" + k; // "n" + -0 is "n0"
      case "boolean":
        return k ? "T" : "F";
      case "undefined":
        return "U";
    }
    return k === null ? "L" : null;
  }
  function find(m, k) {
    var h = hashKey(k);
    if (h !== null) {
      var i = m._h[h];
      return i === undefined ? -1 : i;
    }
    var o = m._o;
    for (var j = 0; j < o.length; j++) if (m._k[o[j]] === k) return o[j];
    return -1;
  }
  function compact(m) {
    var k = m._k, v = m._v, nk = [], nv = [], h = Object.create(null), o = [];
    for (var i = 0; i < k.length; i++) {
      if (k[i] === HOLE) continue;
      var hk = hashKey(k[i]);
      if (hk === null) o.push(nk.length);
      else h[hk] = nk.length;
      nk.push(k[i]);
      nv.push(v[i]);
    }
    m._k = nk;
    m._v = nv;
    m._h = h;
    m._o = o;
    m._d = 0;
  }
  function field(o, k, v) {
    Object.defineProperty(o, k, { value: v, writable: true, configurable: true });
  }
  function Map(entries) {
    if (!(this instanceof Map)) throw new TypeError("Constructor Map requires 'new'");
    field(this, "_k", []);
    field(this, "_v", []);
    field(this, "_h", Object.create(null));
    field(this, "_o", []);
    field(this, "_n", 0);
    field(this, "_d", 0);
    field(this, "_it", 0);
    if (entries === undefined || entries === null) return;
    var self = this;
    if (entries instanceof Map) {
      entries.forEach(function (v, k) {
        self.set(k, v);
      });
    } else if (Array.isArray(entries)) {
      for (var i = 0; i < entries.length; i++) {
        var e = entries[i];
        if (e === null || (typeof e !== "object" && typeof e !== "function")) throw new TypeError("Iterator value " + e + " is not an entry object");
        this.set(e[0], e[1]);
      }
    } else {
      throw new TypeError("new Map(x): x must be an array of [key, value] pairs or a Map (no iterators on MicroQuickJS)");
    }
  }
  Map.prototype.get = function (k) {
    var i = find(this, k);
    return i < 0 ? undefined : this._v[i];
  };
  Map.prototype.has = function (k) {
    return find(this, k) >= 0;
  };
  Map.prototype.set = function (k, v) {
    var i = find(this, k);
    if (i >= 0) {
      this._v[i] = v;
      return this;
    }
    if (k === 0) k = 0; // -0 → +0
    var h = hashKey(k);
    if (h === null) this._o.push(this._k.length);
    else this._h[h] = this._k.length;
    this._k.push(k);
    this._v.push(v);
    this._n++;
    return this;
  };
  Map.prototype["delete"] = function (k) {
    var i = find(this, k);
    if (i < 0) return false;
    var h = hashKey(k);
    if (h === null) this._o.splice(this._o.indexOf(i), 1);
    else delete this._h[h];
    this._k[i] = HOLE;
    this._v[i] = undefined;
    this._n--;
    this._d++;
    if (this._it === 0 && this._d > 16 && this._d * 2 > this._k.length) compact(this);
    return true;
  };
  Map.prototype.clear = function () {
    if (this._it === 0) {
      this._k = [];
      this._v = [];
    } else {
      // A running forEach skips the holes and goes on with entries added after clear().
      for (var i = 0; i < this._k.length; i++) {
        this._k[i] = HOLE;
        this._v[i] = undefined;
      }
      this._d = this._k.length;
    }
    this._h = Object.create(null);
    this._o = [];
    this._n = 0;
  };
  Map.prototype.forEach = function (fn, thisArg) {
    if (typeof fn !== "function") throw new TypeError(fn + " is not a function");
    this._it++;
    try {
      for (var i = 0; i < this._k.length; i++) {
        var k = this._k[i];
        if (k !== HOLE) fn.call(thisArg, this._v[i], k, this);
      }
    } finally {
      this._it--;
    }
    if (this._it === 0 && this._d > 16 && this._d * 2 > this._k.length) compact(this);
  };
  Object.defineProperty(Map.prototype, "size", {
    get: function () {
      return this._n;
    },
  });
  g.Map = Map;
})(globalThis);

//@unit Set Set.prototype.add Set.prototype.has Set.prototype.delete Set.prototype.clear Set.prototype.forEach Set.prototype.size
//@triggers Set
//@needs Map
(function (g) {
  if (typeof g.Set === "function") return;
  var Map = g.Map;
  function Set(values) {
    if (!(this instanceof Set)) throw new TypeError("Constructor Set requires 'new'");
    Object.defineProperty(this, "_m", { value: new Map(), writable: true, configurable: true });
    if (values === undefined || values === null) return;
    var self = this;
    if (values instanceof Set) {
      values.forEach(function (v) {
        self._m.set(v, v);
      });
    } else if (Array.isArray(values)) {
      for (var i = 0; i < values.length; i++) this.add(values[i]);
    } else if (typeof values === "string") {
      var n = values.length; // read once (see array.js, Array.from)
      for (var j = 0; j < n; j++) {
        var c = values.charCodeAt(j), ch = values.charAt(j);
        if (c >= 0xd800 && c <= 0xdbff && j + 1 < n) {
          var d = values.charCodeAt(j + 1);
          if (d >= 0xdc00 && d <= 0xdfff) ch += values.charAt(++j);
        }
        this.add(ch);
      }
    } else {
      throw new TypeError("new Set(x): x must be an array, a string or a Set (no iterators on MicroQuickJS)");
    }
  }
  Set.prototype.has = function (v) {
    return this._m.has(v);
  };
  Set.prototype.add = function (v) {
    if (v === 0) v = 0; // -0 → +0
    this._m.set(v, v);
    return this;
  };
  Set.prototype["delete"] = function (v) {
    return this._m["delete"](v);
  };
  Set.prototype.clear = function () {
    this._m.clear();
  };
  Set.prototype.forEach = function (fn, thisArg) {
    if (typeof fn !== "function") throw new TypeError(fn + " is not a function");
    var self = this;
    this._m.forEach(function (v) {
      fn.call(thisArg, v, v, self);
    });
  };
  Object.defineProperty(Set.prototype, "size", {
    get: function () {
      return this._m.size;
    },
  });
  g.Set = Set;
})(globalThis);
