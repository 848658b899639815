using ResNetKeras.Devices;
using ResNetKeras.Devices.Cpu;
using ResNetKeras.Devices.Sim;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Devices;

/// <summary>
/// The seam itself: device selection, the named host access points, and whole models on the simulated device giving
/// the CPU device's numbers (both run the same kernels, so within float rounding means equal here).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class DeviceTests
{
    private static readonly IDevice Cpu = CpuDevice.Instance;
    private static readonly IDevice Sim = SimDevice.Instance;

    [TestMethod]
    public void Selection_ListsCpuFirst_AndUnknownNamesListTheAvailableOnes()
    {
        CollectionAssert.AreEqual(new[] { "cpu", "sim" }, Backend.ListDevices().ToArray());
        Assert.AreSame(Sim, Backend.GetDevice("SIM"));
        var e = Assert.ThrowsExactly<ArgumentException>(() => Backend.GetDevice("tpu"));
        StringAssert.Contains(e.Message, "Unknown device 'tpu'. Available devices: cpu, sim.");
        // CI machines have no GPU: asking for one says what is missing instead of crashing.
        var cuda = Assert.ThrowsExactly<ArgumentException>(() => Backend.GetDevice("cuda:0"));
        StringAssert.Contains(cuda.Message, "Device 'cuda:0' is not available: ");
        bool driver = System.Runtime.InteropServices.NativeLibrary.TryLoad("libcuda.so.1", out _);
        StringAssert.Contains(cuda.Message, driver ? "no CUDA device yet" : "libcuda.so.1 was not found");
        using (Backend.DeviceScope("sim"))
        {
            Assert.AreSame(Sim, Tensor.Zeros(3).Device);
            using (Backend.DeviceScope("cpu")) Assert.AreSame(Cpu, Tensor.Zeros(3).Device);
            Assert.AreSame(Sim, DeviceRegistry.Current);
        }
        Assert.AreSame(Backend.Device, DeviceRegistry.Current);
    }

    [TestMethod]
    public void SimMemory_IsNotHostMemory_ExceptThroughTheNamedSyncPoints()
    {
        var t = GradientCheckerOn(Sim, [1f, -2f, 3f], 3);
        // A direct host read of device memory fails loudly, naming the device and the way to read it.
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => CpuDevice.HostArray(t.Storage));
        StringAssert.Contains(e.Message, "device 'sim' is not host memory");
        // Mixing devices in one op is an error, as in TensorFlow.
        var mixed = Assert.ThrowsExactly<ArgumentException>(() => Op.Add(t, new Tensor([1f, 1f, 1f], 3)));
        StringAssert.Contains(mixed.Message, "'sim' and 'cpu'");
        // A CPU kernel call cannot be handed sim storage either.
        Assert.ThrowsExactly<InvalidOperationException>(() => Cpu.Fill(t.Storage, 0f));
        // The named points wait for the queued work and copy.
        var y = Op.Relu(t);
        CollectionAssert.AreEqual(new[] { 1f, 0f, 3f }, y.ToArray());
        Assert.AreEqual(4f, Op.Sum(y).Item());
        CollectionAssert.AreEqual(new[] { 1f, 0f, 3f }, y.ToNDArray().Float32Data);
        // Fresh device memory is garbage (NaN), so a kernel that forgot to write its output shows.
        Assert.IsTrue(new Tensor(Sim.Allocate(4), 4).ToArray().All(float.IsNaN));
    }

    [TestMethod]
    public void Sim_QueuesWork_AndSynchronizeRethrowsAFailedKernel()
    {
        // A kernel that fails on the device surfaces at the next synchronization point, not as a crash.
        var a = Sim.Allocate(4);
        var b = Sim.Allocate(8);
        Sim.Copy(b, a);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Sim.Synchronize());
        StringAssert.Contains(e.Message, "A kernel queued on device 'sim' failed");
        Sim.Synchronize();
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ResNet20_Predict_SimEqualsCpu(int version)
    {
        var (cpuModel, simModel) = TwinModels(version);
        var x = RandomArray(5, [6, 32, 32, 3]);
        var expected = cpuModel.Predict(x, batchSize: 4).Float32Data;
        var got = simModel.Predict(x, batchSize: 4).Float32Data;
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], got[i], 1e-5f, $"output {i}");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ResNet20_TrainingSteps_SimEqualsCpu(int version)
    {
        // The tutorial's compile (Adam, categorical cross-entropy, L2 kernels, accuracy) and three steps of 8 images.
        var (cpuModel, simModel) = TwinModels(version);
        var x = RandomArray(6, [8, 32, 32, 3]);
        var y = ND.Zeros([8, 10]);
        for (int i = 0; i < 8; i++) y.SetDouble(1, i, (i * 3) % 10);
        foreach (var m in new[] { cpuModel, simModel }) m.Compile(new Adam(1e-3), "categorical_crossentropy", ["accuracy"]);
        for (int step = 0; step < 3; step++)
        {
            var lc = cpuModel.TrainOnBatch(x, y);
            var ls = simModel.TrainOnBatch(x, y);
            for (int i = 0; i < lc.Length; i++) Assert.AreEqual(lc[i], ls[i], 1e-5 * Math.Max(1, Math.Abs(lc[i])), $"step {step} log {i}");
        }
        var wc = cpuModel.GetWeights();
        var ws = simModel.GetWeights();
        for (int w = 0; w < wc.Count; w++)
            for (int i = 0; i < wc[w].Size; i++)
                Assert.AreEqual(wc[w].Float32Data[i], ws[w].Float32Data[i], 1e-5f, $"weight {cpuModel.Weights[w].Name}[{i}]");
        CollectionAssert.AreEqual(cpuModel.Optimizer!.SlotVariables.Select(v => v.Numpy().Float32Data.Sum()).ToArray(),
            simModel.Optimizer!.SlotVariables.Select(v => v.Numpy().Float32Data.Sum()).ToArray());
    }

    /// <summary>The same ResNet20 built with its weights on each device, the sim copy taking the CPU model's weights.</summary>
    private static (Model Cpu, Model Sim) TwinModels(int version)
    {
        Model Build() => version == 1 ? ResNetCifar.ResNetV1([32, 32, 3], 20) : ResNetCifar.ResNetV2([32, 32, 3], 20);
        Backend.ClearSession();
        Backend.SetRandomSeed(11);
        Model cpu, sim;
        using (Backend.DeviceScope("cpu")) cpu = Build();
        Backend.ClearSession();
        using (Backend.DeviceScope("sim")) sim = Build();
        Assert.AreSame(Sim, sim.Weights[0].Value.Device);
        sim.SetWeights(cpu.GetWeights());
        return (cpu, sim);
    }

    private static NDArray RandomArray(uint seed, int[] shape)
    {
        var rng = new RandomState(seed);
        var a = ND.Zeros(shape);
        for (int i = 0; i < a.Size; i++) a.SetFlat(i, rng.Uniform(-1, 1));
        return a;
    }

    private static Tensor GradientCheckerOn(IDevice device, float[] values, params int[] shape) => Tests.Ops.GradientChecker.On(device, values, shape);
}
