/* tsfdw micro engine: wasm32 without exception handling has no setjmp/longjmp. Only the
 * JavaScript/regexp/JSON parser of MicroQuickJS uses them, and the guest never runs it (scripts
 * are compiled to bytecode on the build machine; JSON.parse and RegExp are replaced, see
 * builtins.c); the link step checks that no parser code is left (engine.ts: "JS_Parse2"). */
#ifndef TSFDW_SETJMP_H
#define TSFDW_SETJMP_H
typedef int jmp_buf[1];
#define setjmp(env) ((void)(env), 0)
#define longjmp(env, v) ((void)(env), (void)(v), __builtin_trap())
#endif
