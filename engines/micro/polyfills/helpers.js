// The SWC helpers that the ES5 lowering (tools/build/lower.ts) may call, written for
// MicroQuickJS: no Symbol, no Reflect, no Object.getOwnPropertyDescriptor, no Object.create with
// a second argument, no `new` on bound functions. SWC's own versions use all of these. A helper
// not listed here fails the build (lower.ts says which source construct needs it).
//
// Destructuring and spread accept arrays (and strings, by code point) only, like the engine's
// for…of: anything else is a TypeError naming the alternative, never a silent empty result.

//@helper _not_array
function _not_array(x, what) {
  var kind = x === null ? "null" : typeof x;
  if (kind === "object" && typeof Map === "function" && x instanceof Map) kind = "a Map";
  else if (kind === "object" && typeof Set === "function" && x instanceof Set) kind = "a Set";
  return new TypeError(what + " of " + kind + " is not supported on MicroQuickJS: only arrays (use forEach for a Map or a Set)");
}

//@helper _code_points
function _code_points(s) {
  // The length is read once: MicroQuickJS can misreport s.length right after s.charAt(i).
  var out = [], n = s.length;
  for (var i = 0; i < n; i++) {
    var c = s.charCodeAt(i), ch = s.charAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      var d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) ch += s.charAt(++i);
    }
    out.push(ch);
  }
  return out;
}

//@helper _sliced_to_array
//@needs _not_array _code_points
function _sliced_to_array(arr, i) {
  if (Array.isArray(arr)) return arr;
  if (typeof arr === "string") return _code_points(arr);
  throw _not_array(arr, "array destructuring");
}

//@helper _to_array
//@needs _sliced_to_array
function _to_array(arr) {
  return _sliced_to_array(arr);
}

//@helper _to_consumable_array
//@needs _not_array _code_points
function _to_consumable_array(arr) {
  // A copy: `[...a]` must not alias `a`.
  if (Array.isArray(arr)) return arr.slice();
  if (typeof arr === "string") return _code_points(arr);
  throw _not_array(arr, "spread");
}

//@helper _es_keys
function _es_keys(o) {
  // Own enumerable keys in ES order (array indices first, ascending): the engine's Object.keys.
  return Object.keys(o);
}

//@helper _extends
//@needs _es_keys
function _extends(target) {
  for (var i = 1; i < arguments.length; i++) {
    var s = arguments[i];
    if (s === null || s === undefined) continue;
    if (typeof s === "string") {
      for (var j = 0; j < s.length; j++) target[j] = s.charAt(j);
    } else if (typeof s === "object" || typeof s === "function") {
      var keys = _es_keys(s);
      for (var k = 0; k < keys.length; k++) target[keys[k]] = s[keys[k]];
    }
  }
  return target;
}

//@helper _object_spread_props
//@needs _define_property _es_keys
function _object_spread_props(target, source) {
  // Values, not descriptors (MicroQuickJS has no getOwnPropertyDescriptor): the build rejects
  // getters and setters in object literals that also spread (tools/build/compat.ts).
  if (source === null || source === undefined) return target;
  var keys = _es_keys(source);
  for (var i = 0; i < keys.length; i++) _define_property(target, keys[i], source[keys[i]]);
  return target;
}

//@helper _object_without_properties_loose
//@needs _es_keys
function _object_without_properties_loose(source, excluded) {
  if (source === null || source === undefined) return {};
  var target = {}, keys = _es_keys(source);
  for (var i = 0; i < keys.length; i++) if (excluded.indexOf(keys[i]) < 0) target[keys[i]] = source[keys[i]];
  return target;
}

//@helper _object_destructuring_empty
function _object_destructuring_empty(o) {
  if (o === null || o === undefined) throw new TypeError("Cannot destructure " + o);
  return o;
}

//@helper _define_property
function _define_property(obj, key, value) {
  if (key in obj) Object.defineProperty(obj, key, { value: value, enumerable: true, configurable: true, writable: true });
  else obj[key] = value;
  return obj;
}

//@helper _define_enumerable_properties
function _define_enumerable_properties(obj, descs) {
  for (var key in descs) {
    var desc = descs[key];
    desc.configurable = desc.enumerable = true;
    if ("value" in desc) desc.writable = true;
    Object.defineProperty(obj, key, desc);
  }
  return obj;
}

//@helper _create_class
function _create_class(Constructor, protoProps, staticProps) {
  var lists = [protoProps, staticProps], targets = [Constructor.prototype, Constructor];
  for (var l = 0; l < 2; l++) {
    var props = lists[l];
    if (!props) continue;
    for (var i = 0; i < props.length; i++) {
      var d = props[i];
      d.enumerable = d.enumerable || false;
      d.configurable = true;
      if ("value" in d) d.writable = true;
      Object.defineProperty(targets[l], d.key, d);
    }
  }
  return Constructor;
}

//@helper _inherits
function _inherits(subClass, superClass) {
  if (typeof superClass !== "function" && superClass !== null) throw new TypeError("Super expression must either be null or a function");
  if (superClass !== null && (superClass === Error || superClass.prototype instanceof Error || superClass === Array || superClass === RegExp || superClass === Date || superClass === Function || superClass === String || superClass === Number || superClass === Boolean || superClass === Object || (typeof Map === "function" && superClass === Map) || (typeof Set === "function" && superClass === Set)))
    throw new TypeError("class " + subClass.name + " extends a built-in class (" + superClass.name + "), which MicroQuickJS cannot subclass; use a plain object or `new Error(message)`");
  // Object.create without its second argument: MicroQuickJS does not take property descriptors there.
  subClass.prototype = Object.create(superClass && superClass.prototype);
  subClass.prototype.constructor = subClass;
  if (superClass) Object.setPrototypeOf(subClass, superClass);
}

//@helper _get_prototype_of
function _get_prototype_of(o) {
  return Object.getPrototypeOf(o);
}

//@helper _set_prototype_of
function _set_prototype_of(o, p) {
  return Object.setPrototypeOf(o, p);
}

//@helper _get
function _get(target, property, receiver) {
  // super.x: the value from the first prototype that owns x. A getter found there runs with
  // `this` = that prototype, not the receiver (no getOwnPropertyDescriptor on MicroQuickJS).
  var base = target;
  while (base !== null && !Object.prototype.hasOwnProperty.call(base, property)) base = Object.getPrototypeOf(base);
  return base === null ? undefined : base[property];
}

//@helper _set
function _set(target, property, value, receiver) {
  receiver[property] = value;
  return value;
}

//@helper _assert_this_initialized
function _assert_this_initialized(self) {
  if (self === void 0) throw new ReferenceError("this hasn't been initialised - super() hasn't been called");
  return self;
}

//@helper _possible_constructor_return
//@needs _assert_this_initialized
function _possible_constructor_return(self, call) {
  if (call && (typeof call === "object" || typeof call === "function")) return call;
  return _assert_this_initialized(self);
}

//@helper _construct
function _construct(Parent, args, Class) {
  // `new Parent(...args)`. MicroQuickJS cannot `new` a bound function, so: create, then apply.
  var obj = Object.create((Class || Parent).prototype);
  var result = Parent.apply(obj, args);
  return result !== null && (typeof result === "object" || typeof result === "function") ? result : obj;
}

//@helper _tagged_template_literal_loose
function _tagged_template_literal_loose(strings, raw) {
  strings.raw = raw || strings.slice(0);
  return strings;
}

//@helper _class_private_field_loose_key
var _class_private_field_loose_key = (function () {
  var id = 0;
  return function (name) {
    return "__private_" + id++ + "_" + name;
  };
})();

//@helper _class_private_field_loose_base
function _class_private_field_loose_base(receiver, privateKey) {
  if (!Object.prototype.hasOwnProperty.call(receiver, privateKey)) throw new TypeError("attempted to use private field on non-instance");
  return receiver;
}

//@helper _type_of
function _type_of(obj) {
  // No Symbol on MicroQuickJS: typeof as is (SWC uses it for loops whose closures return).
  return typeof obj;
}

//@helper _instanceof
function _instanceof(left, right) {
  return left instanceof right;
}

//@helper _to_property_key
function _to_property_key(key) {
  return typeof key === "number" ? key : String(key);
}

//@helper _read_only_error
function _read_only_error(name) {
  throw new TypeError('"' + name + '" is read-only');
}
