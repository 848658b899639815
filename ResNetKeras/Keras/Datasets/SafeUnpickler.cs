using System.Buffers.Binary;
using System.Text;

namespace ResNetKeras.Keras;

/// <summary>
/// A pickle reader for exactly what CIFAR-10's Python batches contain (protocols 2–5): dicts with bytes
/// or str keys, lists, ints, strings and one NumPy array rebuilt through <c>numpy.core.multiarray._reconstruct</c>.
/// It never executes anything: only the handful of globals NumPy arrays need are recognised, and any
/// other global or opcode is refused with <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class SafeUnpickler
{
    /// <summary>A NumPy array rebuilt from a pickle.</summary>
    internal sealed class PickledArray
    {
        public int[] Shape = [];
        public string DType = "";
        public bool Fortran;
        public byte[] Data = [];
    }

    private sealed record Global(string Module, string Name);
    private sealed class DTypeObj { public string Code = ""; public char Order = '|'; }
    private sealed class Mark { public static readonly Mark Instance = new(); }

    private static readonly HashSet<string> AllowedGlobals =
    [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.ndarray", "numpy.dtype", "_codecs.encode", "__builtin__.bytes", "builtins.bytes",
    ];

    private readonly byte[] buf;
    private int pos;
    private readonly string source;

    private SafeUnpickler(byte[] data, string source)
    {
        buf = data;
        this.source = source;
    }

    /// <summary>Reads one pickled object; values are byte[], string, long, bool, null, List&lt;object?&gt;, object?[] (tuples), Dictionary&lt;object, object?&gt; or <see cref="PickledArray"/>.</summary>
    public static object? Load(byte[] data, string source)
    {
        try { return new SafeUnpickler(data, source).Run(); }
        catch (InvalidDataException) { throw; }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or OverflowException or IndexOutOfRangeException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: malformed pickle ({e.Message}).", e);
        }
    }

    private InvalidDataException Bad(string what) => new($"{source}: {what} (at byte {pos}).");

    private byte U8() => pos < buf.Length ? buf[pos++] : throw Bad("unexpected end of pickle data");

    private ReadOnlySpan<byte> Take(long n)
    {
        if (n < 0 || n > buf.Length - pos) throw Bad($"a length of {n} bytes runs past the end of the data");
        var s = buf.AsSpan(pos, (int)n);
        pos += (int)n;
        return s;
    }

    private string Line()
    {
        int end = Array.IndexOf(buf, (byte)'\n', pos);
        if (end < 0) throw Bad("unterminated text line");
        var s = Encoding.ASCII.GetString(buf, pos, end - pos);
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
            stack.RemoveAt(stack.Count - 1);
            return v;
        }
        List<object?> PopMark()
        {
            int m = stack.FindLastIndex(o => o is Mark);
            if (m < 0) throw Bad("MARK expected");
            var items = stack.GetRange(m + 1, stack.Count - m - 1);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }
        while (true)
        {
            byte op = U8();
            switch (op)
            {
                case 0x80: // PROTO
                    int proto = U8();
                    if (proto > 5) throw Bad($"unsupported pickle protocol {proto}");
                    break;
                case 0x95: Take(8); break; // FRAME: frames are only a buffering hint
                case (byte)'.': // STOP
                    return Pop();
                case (byte)'}': stack.Add(new Dictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case (byte)'(': stack.Add(Mark.Instance); break;
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'K': stack.Add((long)U8()); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case 0x8a: // LONG1
                {
                    int n = U8();
                    if (n > 8) throw Bad("integer too large");
                    var b = Take(n);
                    long v = 0;
                    for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
                    if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n);
                    stack.Add(v);
                    break;
                }
                case (byte)'U': stack.Add(Take(U8()).ToArray()); break; // SHORT_BINSTRING (Python 2 str)
                case (byte)'T': stack.Add(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))).ToArray()); break; // BINSTRING
                case (byte)'C': stack.Add(Take(U8()).ToArray()); break; // SHORT_BINBYTES
                case (byte)'B': stack.Add(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))).ToArray()); break; // BINBYTES
                case 0x8e: stack.Add(Take((long)BinaryPrimitives.ReadUInt64LittleEndian(Take(8))).ToArray()); break; // BINBYTES8
                case 0x8c: stack.Add(Encoding.UTF8.GetString(Take(U8()))); break; // SHORT_BINUNICODE
                case (byte)'X': stack.Add(Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))))); break; // BINUNICODE
                case (byte)'q': memo[U8()] = stack.Count > 0 ? stack[^1] : throw Bad("BINPUT on an empty stack"); break;
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = stack.Count > 0 ? stack[^1] : throw Bad("LONG_BINPUT on an empty stack"); break;
                case 0x94: memo[memo.Count] = stack.Count > 0 ? stack[^1] : throw Bad("MEMOIZE on an empty stack"); break;
                case (byte)'h': stack.Add(memo.TryGetValue(U8(), out var m1) ? m1 : throw Bad("BINGET of an unknown memo key")); break;
                case (byte)'j': stack.Add(memo.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), out var m2) ? m2 : throw Bad("LONG_BINGET of an unknown memo key")); break;
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
                case (byte)'a': { var v = Pop(); (stack[^1] as List<object?> ?? throw Bad("APPEND to a non-list")).Add(v); break; }
                case (byte)'e': { var items = PopMark(); (stack[^1] as List<object?> ?? throw Bad("APPENDS to a non-list")).AddRange(items); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); Dict(stack)[Key(k)] = v; break; }
                case (byte)'u':
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw Bad("SETITEMS with an odd number of items");
                    var d = Dict(stack);
                    for (int i = 0; i < items.Count; i += 2) d[Key(items[i])] = items[i + 1];
                    break;
                }
                case (byte)'R': { var args = Pop() as object?[] ?? throw Bad("REDUCE expects an argument tuple"); var f = Pop(); stack.Add(Reduce(f, args)); break; }
                case (byte)'b': { var state = Pop(); Build(stack.Count > 0 ? stack[^1] : throw Bad("BUILD on an empty stack"), state); break; }
                default:
                    throw Bad($"pickle opcode 0x{op:x2} ('{(char)op}') is not allowed in a CIFAR-10 batch");
            }
        }
    }

    private Dictionary<object, object?> Dict(List<object?> stack) =>
        stack.Count > 0 && stack[^1] is Dictionary<object, object?> d ? d : throw Bad("SETITEM on a non-dict");

    private object Key(object? k) => k switch
    {
        byte[] b => Encoding.UTF8.GetString(b),
        string s => s,
        long l => l,
        _ => throw Bad("unsupported dict key type"),
    };

    private Global CheckGlobal(string module, string name)
    {
        string full = module + "." + name;
        if (!AllowedGlobals.Contains(full))
            throw Bad($"refusing to load global '{full}': only NumPy array reconstruction is allowed in a CIFAR-10 batch");
        return new Global(module, name);
    }

    private object? Reduce(object? f, object?[] args)
    {
        if (f is not Global g) throw Bad("REDUCE of a non-callable");
        switch (g.Name)
        {
            case "_reconstruct": return new PickledArray();
            case "dtype":
                return new DTypeObj { Code = args.Length > 0 && args[0] is string s ? s : args.Length > 0 && args[0] is byte[] b ? Encoding.ASCII.GetString(b) : throw Bad("numpy.dtype needs a type code") };
            case "encode":
                // Python 3 writes bytes for protocol 2 as _codecs.encode(str, 'latin1').
                if (args.Length == 2 && args[0] is string text && args[1] is string enc && enc is "latin1" or "latin-1")
                    return Encoding.Latin1.GetBytes(text);
                throw Bad("_codecs.encode is only allowed with latin1 text");
            case "bytes":
                return args.Length == 0 ? Array.Empty<byte>() : throw Bad("bytes() with arguments is not allowed");
            default: throw Bad($"calling '{g.Module}.{g.Name}' is not allowed");
        }
    }

    private void Build(object? target, object? state)
    {
        if (target is PickledArray a)
        {
            if (state is not object?[] t || t.Length < 5) throw Bad("ndarray state must be a 5-tuple");
            a.Shape = (t[1] as object?[] ?? throw Bad("ndarray shape must be a tuple")).Select(d => d is long l && l >= 0 && l <= int.MaxValue ? (int)l : throw Bad("invalid ndarray dimension")).ToArray();
            if (t[2] is not DTypeObj dt) throw Bad("ndarray dtype missing");
            a.DType = dt.Code;
            if (dt.Order == '>' ) throw Bad("big-endian arrays are not supported");
            a.Fortran = t[3] is true;
            a.Data = t[4] switch
            {
                byte[] b => b,
                string s => Encoding.Latin1.GetBytes(s),
                _ => throw Bad("ndarray data must be bytes"),
            };
            return;
        }
        if (target is DTypeObj d)
        {
            if (state is object?[] t && t.Length > 1)
                d.Order = t[1] switch { string s when s.Length == 1 => s[0], byte[] b when b.Length == 1 => (char)b[0], _ => '|' };
            return;
        }
        throw Bad("BUILD on an object that is neither an ndarray nor a dtype");
    }
}
