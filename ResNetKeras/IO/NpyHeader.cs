using System.Globalization;
using System.Text;
using ResNetKeras.Engine;

namespace ResNetKeras.IO;

/// <summary>
/// The header of a <c>.npy</c> file: a Python dict literal with <c>descr</c>, <c>fortran_order</c> and
/// <c>shape</c>, in any key order (NumPy writes them sorted), parsed without evaluating anything.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    public static NpyHeader Parse(string text, string source)
    {
        var p = new Parser(text, source);
        return p.Header();
    }

    /// <summary>The header dict exactly as NumPy's <c>np.save</c> formats it.</summary>
    public string Format()
    {
        string shape = Shape.Length == 1 ? $"({Shape[0]},)" : "(" + string.Join(", ", Shape) + ")";
        return $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
    }

    public DType DType(string source) => Descr switch
    {
        "<f4" => Engine.DType.Float32,
        "<f8" => Engine.DType.Float64,
        "|u1" or "<u1" or ">u1" => Engine.DType.UInt8,
        "<i4" => Engine.DType.Int32,
        "<i8" => Engine.DType.Int64,
        _ when Descr.Length > 0 && Descr[0] == '>' && Descr != ">u1" =>
            throw new InvalidDataException($"{source}: big-endian dtype '{Descr}' is not supported; save the array as little-endian (array.astype('<{Descr[1..]}')) first."),
        "|O" or "<O" or ">O" => throw new InvalidDataException($"{source}: object (pickled) arrays are not supported; only numeric arrays can be read."),
        _ => throw new InvalidDataException($"{source}: unsupported dtype '{Descr}'; expected float32 (<f4), float64 (<f8), uint8 (|u1), int32 (<i4) or int64 (<i8)."),
    };

    public static string Descriptor(DType dtype) => dtype switch
    {
        Engine.DType.Float32 => "<f4",
        Engine.DType.Float64 => "<f8",
        Engine.DType.UInt8 => "|u1",
        Engine.DType.Int32 => "<i4",
        _ => "<i8",
    };

    private sealed class Parser(string text, string source)
    {
        private int pos;

        private InvalidDataException Error(string what) =>
            new($"{source}: cannot parse the .npy header ({what} at character {pos}): {Shorten(text.Trim())}");

        private static string Shorten(string s) => s.Length > 200 ? s[..200] + "..." : s;

        public NpyHeader Header()
        {
            string? descr = null;
            bool? fortran = null;
            int[]? shape = null;
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { pos++; break; }
                string key = String();
                Expect(':');
                SkipSpace();
                switch (key)
                {
                    case "descr":
                        if (Peek() != '\'' && Peek() != '"')
                            throw new InvalidDataException($"{source}: structured (record) dtypes are not supported; the header's descr is {Shorten(Rest())}.");
                        descr = String();
                        break;
                    case "fortran_order":
                        fortran = Word() switch
                        {
                            "True" => true,
                            "False" => false,
                            var w => throw Error($"fortran_order must be True or False, not '{w}'"),
                        };
                        break;
                    case "shape":
                        shape = Tuple();
                        break;
                    default:
                        throw Error($"unexpected key '{key}'");
                }
                SkipSpace();
                if (Peek() == ',') pos++;
                else if (Peek() != '}') throw Error("expected ',' or '}'");
            }
            SkipSpace();
            if (pos != text.Length) throw Error("unexpected text after the dict");
            if (descr is null || fortran is null || shape is null) throw Error("'descr', 'fortran_order' and 'shape' are all required");
            return new NpyHeader(descr, fortran.Value, shape);
        }

        private string Rest() => text[pos..];

        private char Peek() => pos < text.Length ? text[pos] : '\0';

        private void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Error($"expected '{c}'");
            pos++;
        }

        private string String()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Error("expected a quoted string");
            int end = text.IndexOf(quote, pos + 1);
            if (end < 0) throw Error("unterminated string");
            string s = text[(pos + 1)..end];
            pos = end + 1;
            return s;
        }

        private string Word()
        {
            int start = pos;
            while (pos < text.Length && char.IsLetter(text[pos])) pos++;
            return text[start..pos];
        }

        private int[] Tuple()
        {
            Expect('(');
            var dims = new List<int>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') { pos++; break; }
                int start = pos;
                while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == 'L')) pos++;
                string digits = text[start..pos].TrimEnd('L');
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                    throw Error($"invalid dimension '{text[start..Math.Max(start, pos)]}' (dimensions are non-negative integers below 2^31)");
                dims.Add(d);
                if (dims.Count > 64) throw Error("more than 64 dimensions");
                SkipSpace();
                if (Peek() == ',') pos++;
                else if (Peek() != ')') throw Error("expected ',' or ')'");
            }
            return dims.ToArray();
        }
    }
}
