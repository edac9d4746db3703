/*
 * compiler.h - compiler attribute wrappers used across interleave.
 *
 * Every attribute the project uses is wrapped here, so that a compiler
 * without GNU extensions still builds the code (the macros expand to
 * nothing).  The PACKAGE check catches a .c file that forgot to include
 * "config.h" first.
 */
#ifndef INTERLEAVE_CORE_COMPILER_H
#define INTERLEAVE_CORE_COMPILER_H

#ifndef PACKAGE
#error "config.h must be included first in every .c file"
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ATTR_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define ATTR_FORMAT(kind, fmt, args) __attribute__((format(kind, fmt, args)))
#define ATTR_NORETURN __attribute__((noreturn))
#define ATTR_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define ATTR_UNUSED __attribute__((unused))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ATTR_NONNULL(...)
#define ATTR_FORMAT(kind, fmt, args)
#define ATTR_NORETURN
#define ATTR_WARN_UNUSED_RESULT
#define ATTR_UNUSED
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* INTERLEAVE_CORE_COMPILER_H */
