using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class AllocationTests
{
    [TestMethod]
    public void TrainingStep_AllocatesNoNewLargeBuffersAfterTheFirst()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(1);
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
        model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
        var (x, y) = TrainingTests.Quadrants(16, 3);
        model.TrainOnBatch(x, y);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        model.TrainOnBatch(x, y);
        long second = GC.GetTotalAllocatedBytes(precise: true) - before;
        // One step's activations and gradients for this model and batch are about 25 MB; what remains is
        // per-step bookkeeping (the float32 copy of the batch, small per-channel arrays, closures).
        long activations = 16L * 32 * 32 * 16 * 4 * 20;
        Assert.IsTrue(second < activations / 4, $"second step allocated {second / 1e6:F1} MB; activations are ~{activations / 1e6:F0} MB");
    }

    [TestMethod]
    public void TensorsFromAScope_ReturnToThePoolAndAreReused()
    {
        ResNetKeras.Devices.DeviceStorage first;
        using (new TensorScope())
            first = ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], -1f)).Storage;
        using (new TensorScope())
        {
            var again = ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], 3f));
            Assert.AreSame(first, again.Storage, "the pooled buffer of the same length is handed out again");
            Assert.AreEqual(3f, again.ToArray()[0], "and fully overwritten by the op");
        }
        var outside = ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], 1f));
        Assert.AreNotSame(first, outside.Storage, "outside a scope, outputs are ordinary arrays");
    }

    [TestMethod]
    public void NewShapes_EvictIdleBuffersOfShapesTheStepDoesNotUse()
    {
        TensorScope.Trim();
        const int small = 64 * 64 * 2, large = 64 * 64 * 3;
        using (new TensorScope())
        {
            ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], 1f));
            ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], 1f));
        }
        Assert.AreEqual(2, TensorScope.IdleCount(small));
        ResNetKeras.Devices.DeviceStorage kept;
        using (new TensorScope())
        {
            // Asked for in this step, then released: a later miss of another length must not evict it.
            var a = ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], 1f));
            kept = a.Storage;
            TensorScope.Release(kept);
            ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 3], 1f));
            Assert.AreSame(kept, ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 2], 2f)).Storage);
        }
        using (new TensorScope())
        {
            // The last, smaller batch of an epoch: nothing of the old length is asked for, so the pool lets it go.
            ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 3], 1f));
            ResNetKeras.Ops.Op.Relu(Tensor.Full([64, 64, 3], 1f));
            Assert.AreEqual(0, TensorScope.IdleCount(small), "idle buffers of a length this step never asked for");
        }
        Assert.AreEqual(2, TensorScope.IdleCount(large));
    }
}
