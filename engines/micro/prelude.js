// tsfdw micro engine prelude (ES5; compiled to bytecode in front of every guest script).
// Builds the host modules of the JS <-> glue contract (engines/micro/README.md) on top of ONE
// C entry point, __tsfdw_call(id, a, b, c, d): `id` numbers the world's imported functions in
// the order of glue.c's FN_* list; the C side lifts/lowers every value. Resource handles live in
// `__tsfdw_h` (-1 once dropped or when a lent handle expired).
var __tsfdw_guest;
var __tsfdw_rt;
var __tsfdw_imports = (function (call, V) {
  "use strict";
  function H(o) {
    var h = o == null ? undefined : o.__tsfdw_h;
    if (typeof h !== "number" || h < 0) throw new TypeError("resource handle used after drop() or after the call that lent it returned");
    return h;
  }
  function wrap(C, h) {
    var o = Object.create(C.prototype);
    o.__tsfdw_h = h;
    return o;
  }
  function wrapAll(C, hs) {
    for (var i = 0; i < hs.length; i++) hs[i] = wrap(C, hs[i]);
    return hs;
  }
  function resource(name, ctor, drop, methods) {
    var C = function (a) {
      if (!(this instanceof C)) throw new TypeError("class constructor " + name + " cannot be invoked without 'new'");
      this.__tsfdw_h = call(ctor, a);
    };
    for (var k in methods) C.prototype[k] = methods[k];
    C.prototype.drop = function () {
      var h = H(this);
      this.__tsfdw_h = -1;
      call(drop, h);
    };
    return C;
  }
  function m(id) {
    return function (a, b) {
      return call(id, H(this), a, b);
    };
  }
  function f(id) {
    return function (a, b, c, d) {
      return call(id, a, b, c, d);
    };
  }
  function mod(o) {
    o["default"] = o;
    o.__esModule = true;
    return o;
  }

  var Row = resource("Row", 0, 37, { cols: m(1), cells: m(2), push: m(3) });
  var Column = resource("Column", 4, 38, { name: m(5), num: m(6), typeOid: m(7) });
  var Qual = resource("Qual", 8, 39, { field: m(9), operator: m(10), value: m(11), useOr: m(12), param: m(13), deparse: m(14) });
  var Sort = resource("Sort", 15, 40, {
    field: m(16), fieldNo: m(17), reversed: m(18), nullsFirst: m(19), collate: m(20), deparse: m(21), deparseWithCollate: m(22),
  });
  var Limit = resource("Limit", 23, 41, { count: m(24), offset: m(25), deparse: m(26) });
  var Options = resource("Options", 27, 42, { get: m(28), require: m(29), requireOr: m(30) });
  var Context = resource("Context", 31, 43, {
    getOptions: function (t) { return wrap(Options, call(32, H(this), t)); },
    getQuals: function () { return wrapAll(Qual, call(33, H(this))); },
    getColumns: function () { return wrapAll(Column, call(34, H(this))); },
    getSorts: function () { return wrapAll(Sort, call(35, H(this))); },
    getLimit: function () {
      var h = call(36, H(this));
      return h === null ? null : wrap(Limit, h);
    },
  });

  // The glue makes the borrowed context/row an export receives from these prototypes: a borrow
  // ends when the call that lent it returns (the glue drops it then), so drop() throws.
  function lent(C) {
    var p = Object.create(C.prototype);
    p.drop = function () {
      throw new TypeError("a borrowed handle cannot be dropped: it ends when the call that lent it returns");
    };
    return p;
  }
  __tsfdw_rt = { contextProto: lent(Context), rowProto: lent(Row) };

  var p = "supabase:wrappers/";
  var mods = {};
  mods[p + "types@" + V] = mod({ Row: Row, Column: Column, Qual: Qual, Sort: Sort, Limit: Limit, Options: Options, Context: Context });
  mods[p + "http@" + V] = mod({ get: f(44), post: f(45), put: f(46), patch: f(47), "delete": f(48), errorForStatus: f(49) });
  mods[p + "jwt@" + V] = mod({ encode: f(50) });
  mods[p + "stats@" + V] = mod({ incStats: f(51), getMetadata: f(52), setMetadata: f(53) });
  mods[p + "time@" + V] = mod({ epochSecs: f(54), parseFromRfc3339: f(55), parseFromStr: f(56), epochMsToRfc3339: f(57), sleep: f(58) });
  mods[p + "utils@" + V] = mod({
    reportInfo: f(59), reportNotice: f(60), reportWarning: f(61), reportError: f(62), cellToString: f(63),
    getVaultSecret: f(64), getVaultSecretByName: f(65), querySetting: f(66),
  });
  return mods;
})(__tsfdw_call, "__TSFDW_WRAPPERS_VERSION__");
