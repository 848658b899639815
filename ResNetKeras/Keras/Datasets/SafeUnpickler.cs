using System.Buffers.Binary;
using System.Text;

namespace ResNetKeras.Keras;

/// <summary>
/// A pickle reader for exactly what CIFAR-10's Python batches contain: the real files (protocol 2, written by
/// Python 2's cPickle) and batches re-pickled by Python 3 (protocols 2–5). It understands dicts with bytes or str
/// keys, lists, tuples, ints, bools, None, bytes/str values and NumPy arrays rebuilt through
/// <c>numpy.core.multiarray._reconstruct</c> + <c>numpy.ndarray</c> + <c>numpy.dtype</c> (or, protocol 5,
/// <c>numpy.core.numeric._frombuffer</c>). It never executes anything: those few globals are recognised by
/// name and interpreted here, and any other global or opcode is refused with <see cref="InvalidDataException"/>
/// naming it. This is the C# side of Keras's <c>pickle.load(f, encoding='bytes')</c> in <c>cifar.load_batch</c>.
/// </summary>
internal sealed class SafeUnpickler
{
    /// <summary>A NumPy array rebuilt from a pickle; <see cref="Data"/> is always in C (row-major) order.</summary>
    internal sealed class PickledArray
    {
        public int[] Shape = [];
        /// <summary>NumPy type code without byte order, e.g. <c>u1</c>.</summary>
        public string DType = "";
        public byte[] Data = [];
        internal bool Built;
    }

    private sealed record Global(string Module, string Name)
    {
        public string FullName => Module + "." + Name;
    }

    private sealed class DTypeObj
    {
        public string Code = "";
        public char Order = '|';
    }

    private sealed class Mark
    {
        public static readonly Mark Instance = new();
    }

    private static readonly HashSet<string> ReconstructGlobals = ["numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"];
    private static readonly HashSet<string> FromBufferGlobals = ["numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer"];
    private static readonly HashSet<string> OtherGlobals =
    [
        "numpy.ndarray", "numpy.dtype",
        // Python 3 writes bytes objects for protocol 2 as _codecs.encode(str, 'latin1'), and b'' as bytes().
        "_codecs.encode", "__builtin__.bytes", "builtins.bytes",
    ];

    /// <summary>Names of the pickle opcodes this reader refuses, so the error says what was found.</summary>
    private static readonly Dictionary<byte, string> RefusedOpcodeNames = new()
    {
        [(byte)'d'] = "DICT", [(byte)'l'] = "LIST", [(byte)'i'] = "INST", [(byte)'o'] = "OBJ", [0x81] = "NEWOBJ",
        [0x92] = "NEWOBJ_EX", [(byte)'P'] = "PERSID", [(byte)'Q'] = "BINPERSID", [0x82] = "EXT1", [0x83] = "EXT2",
        [0x84] = "EXT4", [(byte)'G'] = "BINFLOAT", [(byte)'F'] = "FLOAT", [(byte)'I'] = "INT", [(byte)'L'] = "LONG",
        [(byte)'S'] = "STRING", [(byte)'V'] = "UNICODE", [(byte)'p'] = "PUT", [(byte)'g'] = "GET", [(byte)'2'] = "DUP",
        [0x8b] = "LONG4", [0x8f] = "EMPTY_SET", [0x90] = "ADDITEMS", [0x91] = "FROZENSET", [0x97] = "NEXT_BUFFER",
        [0x98] = "READONLY_BUFFER",
    };

    private readonly byte[] buf;
    private int pos;
    private int opStart;
    private readonly string source;

    private SafeUnpickler(byte[] data, string source)
    {
        buf = data;
        this.source = source;
    }

    /// <summary>
    /// Reads one pickled object. Values are byte[] (Python 2 str, bytes, bytearray), string (unicode), long, bool,
    /// null, List&lt;object?&gt;, object?[] (tuples), Dictionary&lt;object, object?&gt; (bytes keys become UTF-8
    /// strings, as Keras decodes them) or <see cref="PickledArray"/>.
    /// </summary>
    public static object? Load(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            return new SafeUnpickler(data, source).Run();
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or OverflowException or IndexOutOfRangeException
                                       or KeyNotFoundException or InvalidOperationException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{source}: malformed pickle ({e.Message}).", e);
        }
    }

    private InvalidDataException Bad(string what) => new($"{source}: {what} (pickle opcode at byte {opStart}).");

    private byte U8() => pos < buf.Length ? buf[pos++] : throw Bad("unexpected end of pickle data: the file is truncated");

    private ReadOnlySpan<byte> Take(long n)
    {
        if (n < 0 || n > buf.Length - pos)
            throw Bad($"a length of {n} bytes runs past the end of the data ({buf.Length - pos} left): the file is truncated");
        var s = buf.AsSpan(pos, (int)n);
        pos += (int)n;
        return s;
    }

    private string Line()
    {
        int end = Array.IndexOf(buf, (byte)'\n', pos);
        if (end < 0) throw Bad("unterminated GLOBAL name: the file is truncated");
        var s = Encoding.Latin1.GetString(buf, pos, end - pos);
        pos = end + 1;
        return s;
    }

    private object? Run()
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();

        object? Pop()
        {
            if (stack.Count == 0) throw Bad("stack underflow");
            var v = stack[^1];
            if (v is Mark) throw Bad("a value was expected but a MARK was found");
            stack.RemoveAt(stack.Count - 1);
            return v;
        }

        object? Top() => stack.Count > 0 && stack[^1] is not Mark ? stack[^1] : throw Bad("a value was expected on the stack");

        List<object?> PopMark()
        {
            int m = stack.FindLastIndex(o => o is Mark);
            if (m < 0) throw Bad("MARK expected");
            var items = stack.GetRange(m + 1, stack.Count - m - 1);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }

        object? Get(long key) => memo.TryGetValue(key, out var v) ? v : throw Bad($"memo key {key} was never stored");

        while (true)
        {
            opStart = pos;
            byte op = U8();
            switch (op)
            {
                case 0x80: // PROTO
                    int proto = U8();
                    if (proto > 5) throw Bad($"unsupported pickle protocol {proto} (at most 5)");
                    break;
                case 0x95: Take(8); break; // FRAME: only a buffering hint, the frame's bytes follow inline
                case (byte)'.': // STOP
                    {
                        var result = Pop();
                        if (stack.Count != 0) throw Bad("STOP with values left on the stack");
                        return result;
                    }
                case (byte)'}': stack.Add(new Dictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case (byte)'(': stack.Add(Mark.Instance); break;
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'K': stack.Add((long)U8()); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case 0x8a: // LONG1: little-endian two's complement of n bytes
                    {
                        int n = U8();
                        if (n > 8) throw Bad($"a {n}-byte integer is too large");
                        var b = Take(n);
                        long v = 0;
                        for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
                        if (n is > 0 and < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n);
                        stack.Add(v);
                        break;
                    }
                case (byte)'U': stack.Add(Take(U8()).ToArray()); break; // SHORT_BINSTRING: a Python 2 str, bytes under encoding='bytes'
                case (byte)'T': stack.Add(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))).ToArray()); break; // BINSTRING
                case (byte)'C': stack.Add(Take(U8()).ToArray()); break; // SHORT_BINBYTES
                case (byte)'B': stack.Add(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))).ToArray()); break; // BINBYTES
                case 0x8e: stack.Add(Take(Length8()).ToArray()); break; // BINBYTES8
                case 0x96: stack.Add(Take(Length8()).ToArray()); break; // BYTEARRAY8 (protocol 5 in-band buffers)
                case 0x8c: stack.Add(Utf8(Take(U8()))); break; // SHORT_BINUNICODE
                case (byte)'X': stack.Add(Utf8(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))))); break; // BINUNICODE
                case 0x8d: stack.Add(Utf8(Take(Length8()))); break; // BINUNICODE8
                case (byte)'q': memo[U8()] = Top(); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Top(); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Top(); break; // MEMOIZE
                case (byte)'h': stack.Add(Get(U8())); break; // BINGET
                case (byte)'j': stack.Add(Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'c': // GLOBAL
                    {
                        var module = Line();
                        var name = Line();
                        stack.Add(CheckGlobal(module, name));
                        break;
                    }
                case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop() as string ?? throw Bad("STACK_GLOBAL expects a str name");
                        var module = Pop() as string ?? throw Bad("STACK_GLOBAL expects a str module");
                        stack.Add(CheckGlobal(module, name));
                        break;
                    }
                case 0x85: stack.Add(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case (byte)'t': stack.Add(PopMark().ToArray()); break;
                case (byte)'a': { var v = Pop(); (Top() as List<object?> ?? throw Bad("APPEND to something that is not a list")).Add(v); break; }
                case (byte)'e': { var items = PopMark(); (Top() as List<object?> ?? throw Bad("APPENDS to something that is not a list")).AddRange(items); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); Dict(Top())[Key(k)] = v; break; }
                case (byte)'u':
                    {
                        var items = PopMark();
                        if (items.Count % 2 != 0) throw Bad("SETITEMS with an odd number of items");
                        var d = Dict(Top());
                        for (int i = 0; i < items.Count; i += 2) d[Key(items[i])] = items[i + 1];
                        break;
                    }
                case (byte)'R':
                    {
                        var args = Pop() as object?[] ?? throw Bad("REDUCE expects an argument tuple");
                        var f = Pop();
                        stack.Add(Reduce(f, args));
                        break;
                    }
                case (byte)'b': { var state = Pop(); Build(Top(), state); break; }
                default:
                    string name0 = RefusedOpcodeNames.TryGetValue(op, out var nm) ? $" ({nm})" : "";
                    string shown = op is >= 0x20 and < 0x7f ? $" '{(char)op}'" : "";
                    throw Bad($"pickle opcode 0x{op:x2}{shown}{name0} is not allowed in a CIFAR-10 batch");
            }
        }
    }

    private long Length8()
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        return n > int.MaxValue ? throw Bad($"a length of {n} bytes is larger than this reader supports") : (long)n;
    }

    private static string Utf8(ReadOnlySpan<byte> b) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(b);

    private Dictionary<object, object?> Dict(object? target) =>
        target as Dictionary<object, object?> ?? throw Bad("SETITEM on something that is not a dict");

    private object Key(object? k) => k switch
    {
        // Keras decodes the bytes keys of encoding='bytes' with utf8; str keys (Python 3 re-pickles) stay as they are.
        byte[] b => Utf8(b),
        string s => s,
        long l => l,
        _ => throw Bad($"unsupported dict key of type {k?.GetType().Name ?? "None"}"),
    };

    private Global CheckGlobal(string module, string name)
    {
        var g = new Global(module, name);
        string full = g.FullName;
        if (!ReconstructGlobals.Contains(full) && !FromBufferGlobals.Contains(full) && !OtherGlobals.Contains(full))
            throw Bad($"refusing to load global '{full}': a CIFAR-10 batch may only refer to NumPy's array and dtype reconstruction");
        return g;
    }

    private object? Reduce(object? f, object?[] args)
    {
        if (f is not Global g) throw Bad($"REDUCE of {Describe(f)}, which is not one of the allowed globals");
        string full = g.FullName;
        if (ReconstructGlobals.Contains(full))
        {
            // _reconstruct(ndarray, (0,), b'b'): an empty array that BUILD then fills.
            if (args.Length != 3 || args[0] is not Global { FullName: "numpy.ndarray" })
                throw Bad($"{full} is only allowed as {full}(numpy.ndarray, (0,), b'b')");
            return new PickledArray();
        }
        if (FromBufferGlobals.Contains(full))
        {
            // Protocol 5: _frombuffer(buffer, dtype, shape, order).
            if (args.Length != 4 || args[0] is not byte[] data || args[1] is not DTypeObj dt || args[2] is not object?[] shape || args[3] is not string order)
                throw Bad($"{full} expects (buffer, dtype, shape, order)");
            return MakeArray(data, dt, shape, order == "F");
        }
        switch (full)
        {
            case "numpy.dtype":
                {
                    string code = args.Length > 0 ? args[0] switch
                    {
                        string s => s,
                        byte[] b => Encoding.ASCII.GetString(b),
                        _ => throw Bad("numpy.dtype needs a type code"),
                    } : throw Bad("numpy.dtype needs a type code");
                    return new DTypeObj { Code = code };
                }
            case "_codecs.encode":
                if (args.Length == 2 && args[0] is string text && args[1] is "latin1" or "latin-1")
                {
                    if (text.Any(ch => ch > 0xff)) throw Bad("_codecs.encode: text outside latin1");
                    return Encoding.Latin1.GetBytes(text);
                }
                throw Bad("_codecs.encode is only allowed as _codecs.encode(str, 'latin1')");
            case "__builtin__.bytes" or "builtins.bytes":
                return args.Length == 0 ? Array.Empty<byte>() : throw Bad("bytes() is only allowed without arguments");
            default:
                throw Bad($"calling '{full}' is not allowed");
        }
    }

    private void Build(object? target, object? state)
    {
        if (target is PickledArray a)
        {
            if (a.Built) throw Bad("ndarray state set twice");
            // ndarray.__setstate__: (version, shape, dtype, is_fortran, data) or, without version, the last four.
            if (state is not object?[] t || t.Length is not (4 or 5)) throw Bad("ndarray state must be a 4- or 5-tuple");
            int o = t.Length - 4;
            if (t[o] is not object?[] shape) throw Bad("ndarray shape must be a tuple");
            if (t[o + 1] is not DTypeObj dt) throw Bad("ndarray dtype must be a numpy.dtype");
            bool fortran = t[o + 2] switch { bool b => b, long l => l != 0, _ => throw Bad("ndarray is_fortran must be a bool") };
            byte[] data = t[o + 3] switch
            {
                byte[] b => b,
                // Only a Python 3 str from latin1-decoding would reach here; its chars are the bytes.
                string s when s.All(ch => ch <= 0xff) => Encoding.Latin1.GetBytes(s),
                List<object?> => throw Bad("ndarray data as a list of objects (dtype=object) is not allowed"),
                _ => throw Bad("ndarray data must be bytes"),
            };
            var built = MakeArray(data, dt, shape, fortran);
            a.Shape = built.Shape;
            a.DType = built.DType;
            a.Data = built.Data;
            a.Built = true;
            return;
        }
        if (target is DTypeObj d)
        {
            // dtype.__setstate__: (version, byteorder, subdescr, names, fields, elsize, alignment, flags).
            if (state is not object?[] t || t.Length < 2) throw Bad("dtype state must be a tuple");
            d.Order = t[1] switch
            {
                string s when s.Length == 1 => s[0],
                byte[] b when b.Length == 1 => (char)b[0],
                _ => throw Bad("dtype byte order must be one character"),
            };
            if (t.Length > 3 && t[3] is not null) throw Bad("structured dtypes are not allowed");
            return;
        }
        throw Bad($"BUILD on {Describe(target)}; only an ndarray or a dtype may be built");
    }

    private PickledArray MakeArray(byte[] data, DTypeObj dt, object?[] shapeTuple, bool fortran)
    {
        var shape = shapeTuple.Select(s => s is long l and >= 0 and <= int.MaxValue ? (int)l : throw Bad($"invalid ndarray dimension {Describe(s)}")).ToArray();
        string code = dt.Code.TrimStart('<', '>', '|', '=');
        int itemSize = code switch
        {
            "u1" or "uint8" or "B" or "i1" or "int8" or "b1" or "bool" or "?" => 1,
            "u2" or "i2" or "f2" => 2,
            "u4" or "i4" or "f4" or "uint32" or "int32" or "float32" => 4,
            "u8" or "i8" or "f8" or "uint64" or "int64" or "float64" => 8,
            _ => throw Bad($"ndarray dtype '{dt.Code}' is not supported"),
        };
        if (dt.Order == '>' && itemSize > 1) throw Bad("big-endian ndarray data is not supported");
        long count = 1;
        foreach (var s in shape) count = checked(count * s);
        if (data.Length != count * itemSize)
            throw Bad($"ndarray data has {data.Length} bytes but shape ({string.Join(", ", shape)}) of dtype '{code}' needs {count * itemSize}: the file is truncated or corrupt");
        return new PickledArray { Shape = shape, DType = code == "uint8" || code == "B" ? "u1" : code, Data = fortran && shape.Length > 1 ? FortranToC(data, shape, itemSize) : data };
    }

    /// <summary>Reorders column-major bytes into row-major, so callers see one layout.</summary>
    private static byte[] FortranToC(byte[] src, int[] shape, int itemSize)
    {
        int rank = shape.Length;
        var fStrides = new long[rank];
        long acc = 1;
        for (int k = 0; k < rank; k++) { fStrides[k] = acc; acc *= shape[k]; }
        var dst = new byte[src.Length];
        var idx = new int[rank];
        for (long c = 0; c < acc; c++)
        {
            long f = 0;
            for (int k = 0; k < rank; k++) f += idx[k] * fStrides[k];
            Buffer.BlockCopy(src, (int)(f * itemSize), dst, (int)(c * itemSize), itemSize);
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return dst;
    }

    private static string Describe(object? v) => v switch
    {
        null => "None",
        Global g => $"'{g.FullName}'",
        Mark => "MARK",
        DTypeObj => "a numpy.dtype",
        PickledArray => "an ndarray",
        byte[] => "bytes",
        string => "str",
        long l => $"int {l}",
        object?[] => "a tuple",
        List<object?> => "a list",
        Dictionary<object, object?> => "a dict",
        _ => v.GetType().Name,
    };
}
