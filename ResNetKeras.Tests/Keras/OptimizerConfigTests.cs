using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Identifiers, configs, argument checks and the learning rate's get/set with and without a schedule.</summary>
[TestClass]
public sealed class OptimizerConfigTests
{
    private static Optimizer RoundTrip(Optimizer o)
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(o.GetConfig()));
        return Optimizers.Deserialize(o.GetType().Name, doc.RootElement);
    }

    [TestMethod]
    [DataRow("rmsprop", typeof(RMSprop), "rmsprop")]
    [DataRow("RMSprop", typeof(RMSprop), "rmsprop")]
    [DataRow("adagrad", typeof(Adagrad), "adagrad")]
    [DataRow("adadelta", typeof(Adadelta), "adadelta")]
    [DataRow("adamax", typeof(Adamax), "adamax")]
    [DataRow("nadam", typeof(Nadam), "nadam")]
    [DataRow("adamw", typeof(AdamW), "adamw")]
    [DataRow("AdamW", typeof(AdamW), "adamw")]
    [DataRow("lion", typeof(Lion), "lion")]
    [DataRow("adam", typeof(Adam), "Adam")]
    [DataRow("sgd", typeof(SGD), "SGD")]
    public void Get_KnowsEveryIdentifier(string id, Type type, string name)
    {
        var o = Optimizers.Get(id);
        Assert.AreEqual(type, o.GetType());
        Assert.AreEqual(name, o.Name);
    }

    [TestMethod]
    public void Get_UnknownIdentifier_ListsTheKnownOnes()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Optimizers.Get("adamm"));
        StringAssert.Contains(e.Message, "'adamm'");
        StringAssert.Contains(e.Message, "rmsprop");
    }

    [TestMethod]
    public void Defaults_AreKeras3s()
    {
        var r = new RMSprop();
        Assert.AreEqual((double)0.001f, r.LearningRate);
        Assert.AreEqual(0.9, r.Rho); Assert.AreEqual(0.0, r.Momentum); Assert.AreEqual(1e-7, r.Epsilon); Assert.IsFalse(r.Centered);
        var ag = new Adagrad();
        Assert.AreEqual(0.1, ag.InitialAccumulatorValue); Assert.AreEqual(1e-7, ag.Epsilon);
        var ad = new Adadelta();
        Assert.AreEqual(0.95, ad.Rho); Assert.AreEqual((double)0.001f, ad.LearningRate);
        var am = new Adamax();
        Assert.AreEqual(0.9, am.Beta1); Assert.AreEqual(0.999, am.Beta2);
        var n = new Nadam();
        Assert.AreEqual(0.9, n.Beta1); Assert.AreEqual(0.999, n.Beta2); Assert.AreEqual(1e-7, n.Epsilon);
        var w = new AdamW();
        Assert.AreEqual(0.004, w.WeightDecay); Assert.IsFalse(w.Amsgrad);
        var l = new Lion();
        Assert.AreEqual(0.9, l.Beta1); Assert.AreEqual(0.99, l.Beta2); Assert.IsNull(l.WeightDecay);
        Assert.AreEqual(0.99, l.EmaMomentum); Assert.IsFalse(l.UseEma);
    }

    [TestMethod]
    public void Configs_HaveKeras3Keys_AndRoundTrip()
    {
        Optimizer[] all =
        [
            new RMSprop(0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true, clipnorm: 1.5, name: "r"),
            new Adagrad(0.02, initialAccumulatorValue: 0.3, epsilon: 1e-5, weightDecay: 0.01),
            new Adadelta(1.0, rho: 0.9, epsilon: 1e-6, clipvalue: 0.5),
            new Adamax(0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, globalClipnorm: 2),
            new Nadam(0.004, beta1: 0.85, beta2: 0.995, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 5),
            new AdamW(0.005, weightDecay: 0.01, beta1: 0.8, amsgrad: true),
            new Lion(0.0001, beta1: 0.95, beta2: 0.98, weightDecay: 0.1),
            new SGD(0.1, momentum: 0.9, nesterov: true, clipnorm: 1.0),
            new Adam(new CosineDecay(0.001, 1000, warmupTarget: 0.01, warmupSteps: 100), beta1: 0.85),
            new RMSprop(new PiecewiseConstantDecay([5], [0.1, 0.01])),
        ];
        foreach (var o in all)
        {
            var c = o.GetConfig();
            foreach (var key in new[] { "name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency" })
                Assert.IsTrue(c.ContainsKey(key), $"{o.GetType().Name} config lacks {key}");
            var back = RoundTrip(o);
            Assert.AreEqual(o.GetType(), back.GetType());
            Assert.AreEqual(JsonSerializer.Serialize(c), JsonSerializer.Serialize(back.GetConfig()), o.GetType().Name);
        }
        CollectionAssert.AreEqual(new[] { "rho", "momentum", "epsilon", "centered" }, all[0].GetConfig().Keys.Skip(11).ToArray());
        CollectionAssert.AreEqual(new[] { "beta_1", "beta_2" }, all[6].GetConfig().Keys.Skip(11).ToArray());
        Assert.IsInstanceOfType<CosineDecay>(all[8].LearningRateSchedule);
        Assert.IsInstanceOfType<CosineDecay>(RoundTrip(all[8]).LearningRateSchedule);
    }

    [TestMethod]
    public void BadArguments_AreRefusedWithTheirNames()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new RMSprop(clipnorm: 1, clipvalue: 1));
        StringAssert.Contains(e.Message, "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=1, clipvalue=1, global_clipnorm=None");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Lion(beta1: 0)).Message, "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1=0.");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new AdamW(weightDecay: null)).Message, "Argument `weight_decay` must be a float. Received: weight_decay=None");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Nadam(useEma: true, emaMomentum: 1.5)).Message, "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=1.5");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Adamax(useEma: true, emaOverwriteFrequency: 0)).Message, "ema_overwrite_frequency=0");
        Assert.AreEqual("rho", Assert.ThrowsExactly<ArgumentException>(() => new Adadelta(rho: 2)).ParamName);
        Assert.AreEqual("initialAccumulatorValue", Assert.ThrowsExactly<ArgumentException>(() => new Adagrad(initialAccumulatorValue: -1)).ParamName);
        Assert.AreEqual("clipvalue", Assert.ThrowsExactly<ArgumentException>(() => new SGD(clipvalue: -1)).ParamName);
        Assert.ThrowsExactly<ArgumentNullException>(() => new Lion((LearningRateSchedule)null!));
    }

    [TestMethod]
    public void LearningRate_WithASchedule_ReadsTheScheduleAndRefusesAFloat()
    {
        var opt = new Adamax(new ExponentialDecay(0.1, 1, 0.5));
        Assert.AreEqual((double)0.1f, opt.LearningRate);
        opt.Iterations = 2;
        Assert.AreEqual((double)0.025f, opt.LearningRate);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => opt.LearningRate = 0.01);
        StringAssert.Contains(e.Message, "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its learning rate is not settable.");
        // A float optimizer can take a schedule later, as Keras's optimizer.learning_rate = schedule.
        var f = new Lion(0.01);
        f.LearningRate = 0.02;
        Assert.AreEqual((double)0.02f, f.Lr);
        f.LearningRateSchedule = new InverseTimeDecay(0.1, 1, 1);
        f.Iterations = 1;
        Assert.AreEqual((double)0.05f, f.LearningRate);
    }

    [TestMethod]
    public void SlotNames_AndOrder_AreKeras3s()
    {
        string[] Names(Optimizer o)
        {
            var a = new Variable("dense/kernel:0", new Tensor([1f, 2f], 2));
            var b = new Variable("dense/bias:0", new Tensor([1f], 1));
            o.ApplyGradients([(new Tensor([0.1f, 0.2f], 2), a), (new Tensor([0.3f], 1), b)]);
            return o.SlotVariables.Select(v => v.Name).ToArray();
        }
        CollectionAssert.AreEqual(new[] { "rmsprop/dense/kernel/velocity:0", "rmsprop/dense/bias/velocity:0", "rmsprop/dense/kernel/momentum:0", "rmsprop/dense/bias/momentum:0",
            "rmsprop/dense/kernel/average_gradient:0", "rmsprop/dense/bias/average_gradient:0" }, Names(new RMSprop(momentum: 0.5, centered: true)));
        CollectionAssert.AreEqual(new[] { "adamax/dense/kernel/momentum:0", "adamax/dense/kernel/norm:0", "adamax/dense/bias/momentum:0", "adamax/dense/bias/norm:0" }, Names(new Adamax()));
        CollectionAssert.AreEqual(new[] { "adadelta/dense/kernel/accumulated_grad:0", "adadelta/dense/bias/accumulated_grad:0", "adadelta/dense/kernel/accumulated_delta_var:0", "adadelta/dense/bias/accumulated_delta_var:0" }, Names(new Adadelta()));
        CollectionAssert.AreEqual(new[] { "adamw/dense/kernel/momentum:0", "adamw/dense/kernel/velocity:0", "adamw/dense/bias/momentum:0", "adamw/dense/bias/velocity:0",
            "adamw/dense/kernel/velocity_hat:0", "adamw/dense/bias/velocity_hat:0" }, Names(new AdamW(amsgrad: true)));
        CollectionAssert.AreEqual(new[] { "lion/dense/kernel/average:0", "lion/dense/bias/average:0", "lion/dense/kernel/momentum:0", "lion/dense/bias/momentum:0" }, Names(new Lion(useEma: true)));
        var adagrad = new Adagrad(initialAccumulatorValue: 0.25);
        Names(adagrad);
        Assert.AreEqual(0.25f + 0.1f * 0.1f, adagrad.SlotVariables[0].Value.ToArray()[0], 1e-7f);
    }
}
