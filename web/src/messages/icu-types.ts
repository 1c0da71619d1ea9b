// The values an ICU message needs, read from its text by the type checker, so that t(key, values) checks both.
//
// A small reader of ICU MessageFormat at the type level: it walks from brace to brace (not character by character,
// to stay cheap), tells an argument `{name…}` from a plural or select branch body `one {…}`, and collects each
// argument's name with the type of value it takes. Apostrophe quoting is not understood: messages do not use it.

type Space = ' ' | '\n' | '\t'
type Trim<Text extends string> = Text extends `${Space}${infer Rest}`
  ? Trim<Rest>
  : Text extends `${infer Rest}${Space}`
    ? Trim<Rest>
    : Text

/** The value an argument of an ICU type takes: counts for plurals and numbers, a key for select, text otherwise. */
type ValueOf<Kind extends string> = Kind extends 'plural' | 'selectordinal' | 'number'
  ? number
  : Kind extends 'select'
    ? string
    : Kind extends 'date' | 'time'
      ? Date | number
      : string | number

/** The next brace in the text and what follows it. */
type NextBrace<Text extends string> = Text extends `${infer Before}{${infer After}`
  ? Before extends `${string}}${string}`
    ? Text extends `${string}}${infer AfterClose}`
      ? ['}', AfterClose]
      : never
    : ['{', After]
  : Text extends `${string}}${infer AfterClose}`
    ? ['}', AfterClose]
    : ['end', '']

/** `Depth` counts the branch bodies we are inside; `Found` gathers the arguments as an intersection. */
type InText<Text extends string, Depth extends 0[], Found> =
  NextBrace<Text> extends ['{', infer After extends string]
    ? Argument<After, Depth, Found>
    : NextBrace<Text> extends ['}', infer After extends string]
      ? Depth extends [0, ...infer Outer extends 0[]]
        ? InBranches<After, Outer, Found>
        : Found
      : Found

/** Right after an argument's `{`: `name}`, `name, type}`, `name, type, style}` or `name, plural, branches}`. */
type Argument<Text extends string, Depth extends 0[], Found> = Text extends `${infer Name},${infer Rest}`
  ? Name extends `${string}}${string}`
    ? Simple<Text, Depth, Found>
    : Rest extends `${infer Kind},${infer Branches}`
      ? Kind extends `${string}}${string}`
        ? Typed<Name, Rest, Depth, Found>
        : Trim<Kind> extends 'plural' | 'selectordinal' | 'select'
          ? InBranches<Branches, Depth, Found & { [Key in Trim<Name>]: ValueOf<Trim<Kind>> }>
          : Typed<Name, Rest, Depth, Found>
      : Typed<Name, Rest, Depth, Found>
  : Simple<Text, Depth, Found>

type Simple<Text extends string, Depth extends 0[], Found> = Text extends `${infer Name}}${infer After}`
  ? InText<After, Depth, Found & { [Key in Trim<Name>]: ValueOf<''> }>
  : Found

/** `{name, number}`, `{name, date, short}`: the style has no braces, so the argument ends at the first `}`. */
type Typed<
  Name extends string,
  Rest extends string,
  Depth extends 0[],
  Found,
> = Rest extends `${infer Kind}}${infer After}`
  ? InText<
      After,
      Depth,
      Found & { [Key in Trim<Name>]: ValueOf<Trim<Kind extends `${infer Head},${string}` ? Head : Kind>> }
    >
  : Found

/** Between the branches of a plural or select: `{` opens a branch body (text), `}` closes the argument. */
type InBranches<Text extends string, Depth extends 0[], Found> =
  NextBrace<Text> extends ['{', infer After extends string]
    ? InText<After, [0, ...Depth], Found>
    : NextBrace<Text> extends ['}', infer After extends string]
      ? InText<After, Depth, Found>
      : Found

type Flatten<Shape> = { [Key in keyof Shape]: Shape[Key] }

/** The values a message's text needs, as an object type; `unknown` when it needs none. */
export type MessageValues<Text extends string> =
  InText<Text, [], unknown> extends infer Found ? (unknown extends Found ? unknown : Flatten<Found>) : never
