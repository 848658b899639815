using System.Text.RegularExpressions;
using ResNetKeras.Devices;
using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Session-wide Keras state (<c>keras.backend</c>): the device that new weights and tensors go to, the layer-name
/// counters and the random source for weight initialization.
/// </summary>
public static partial class Backend
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, int> NameCounts = new();
    private static RandomState random = new();
    private static uint? globalSeed;
    private static readonly Dictionary<string, uint> PurposeCounts = new();

    /// <summary>
    /// The device new models, weights and tensors are placed on (Keras's backend choice; <c>cpu</c> unless the environment
    /// variable <c>RESNETKERAS_DEVICE</c> names another). A model trains and predicts on the device its weights were
    /// created on: set this before building the model.
    /// </summary>
    public static IDevice Device
    {
        get => DeviceRegistry.Default;
        set => DeviceRegistry.Default = value;
    }

    /// <summary>Selects the default device by name (<c>cpu</c>, <c>sim</c>); an unknown name is an error listing the available ones.</summary>
    public static void SetDevice(string name) => DeviceRegistry.Default = DeviceRegistry.Get(name);

    /// <summary>The device a name selects.</summary>
    public static IDevice GetDevice(string name) => DeviceRegistry.Get(name);

    /// <summary>Names of the usable devices, <c>cpu</c> first (<c>tf.config.list_logical_devices</c>).</summary>
    public static IReadOnlyList<string> ListDevices() => DeviceRegistry.Available;

    /// <summary>Places everything created inside the returned scope on the named device (<c>with tf.device(name):</c>).</summary>
    public static IDisposable DeviceScope(string name) => DeviceRegistry.Use(name);

    /// <summary>Resets name counters (<c>keras.backend.clear_session()</c>): the next Conv2D is <c>conv2d</c> again.</summary>
    public static void ClearSession()
    {
        lock (Gate) NameCounts.Clear();
    }

    /// <summary>
    /// Seeds weight initialization and other library randomness (<c>keras.utils.set_random_seed</c>); see
    /// <see cref="Utils.SetRandomSeed"/>.
    /// </summary>
    public static void SetRandomSeed(uint seed)
    {
        lock (Gate)
        {
            random = new RandomState(seed);
            globalSeed = seed;
            PurposeCounts.Clear();
        }
    }

    /// <summary>
    /// The seed of a random stream for one <paramref name="purpose"/> (<c>"fit.shuffle"</c>, <c>"flow"</c>, ...): after
    /// <see cref="SetRandomSeed"/> a hash of (global seed, purpose, and with <paramref name="counted"/> how many seeds of
    /// that purpose were asked before), so it does not depend on how many numbers other parts of the program drew (building
    /// a model runs initializers, loading one need not); without a global seed, a fresh seed from the session generator.
    /// </summary>
    internal static uint DerivedSeed(string purpose, bool counted = false)
    {
        lock (Gate)
        {
            if (globalSeed is not { } g) return random.NextSeed();
            uint index = 0;
            if (counted)
            {
                PurposeCounts.TryGetValue(purpose, out index);
                PurposeCounts[purpose] = index + 1;
            }
            return Mix(g, purpose, index);
        }
    }

    /// <summary>SplitMix64's finalizer over the seed, an FNV-1a hash of the purpose and the index: stable across processes and platforms.</summary>
    internal static uint Mix(uint seed, string purpose, uint index)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in purpose) h = unchecked((h ^ c) * 1099511628211UL);
        ulong z = unchecked(((ulong)seed << 32 | index) ^ h);
        z = unchecked((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94d049bb133111ebUL);
        z ^= z >> 31;
        return (uint)(z ^ (z >> 32));
    }

    /// <summary>A seed for a new random stream drawn from the session generator.</summary>
    public static uint NextSeed()
    {
        lock (Gate) return random.NextSeed();
    }

    /// <summary>Keras's unique_object_name: zero-based for layers (<c>conv2d</c>, <c>conv2d_1</c>), one-based when asked (<c>input_1</c>).</summary>
    internal static string UniqueName(string baseName, bool zeroBased = true)
    {
        lock (Gate)
        {
            NameCounts.TryGetValue(baseName, out int n);
            NameCounts[baseName] = n + 1;
            if (zeroBased) return n == 0 ? baseName : $"{baseName}_{n}";
            return $"{baseName}_{n + 1}";
        }
    }

    /// <summary>Keras's generic_utils.to_snake_case: <c>Conv2D</c> → <c>conv2d</c>, <c>AveragePooling2D</c> → <c>average_pooling2d</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var intermediate = FirstCap().Replace(name, "$1_$2");
        var insecure = AllCap().Replace(intermediate, "$1_$2").ToLowerInvariant();
        return insecure[0] != '_' ? insecure : "private" + insecure;
    }

    [GeneratedRegex("(.)([A-Z][a-z0-9]+)")]
    private static partial Regex FirstCap();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex AllCap();
}
