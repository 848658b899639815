using ResNetKeras.Engine;

namespace ResNetKeras.Tests.Engine;

[TestClass]
public sealed class RandomStateTests
{
    // Expected values printed by NumPy 1.24 (np.random.RandomState), see the test names.
    [TestMethod]
    public void Permutation_MatchesNumPySeed42()
    {
        var r = new RandomState(42);
        CollectionAssert.AreEqual(new[] { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 }, r.Permutation(10));
    }

    [TestMethod]
    public void Draws_MatchNumPySeed1InOrder()
    {
        var r = new RandomState(1);
        Assert.AreEqual(-0.165955990594852, r.Uniform(-1, 1), 1e-15);
        Assert.AreEqual(0.7203244934421581, r.NextDouble(), 1e-16);
        Assert.AreEqual(1L, r.RandInt(0, 7));
        Assert.AreEqual(-0.8021728386486427, r.StandardNormal(), 1e-15);
        Assert.AreEqual(-0.4488778077207725, r.StandardNormal(), 1e-15);
    }

    [TestMethod]
    public void RandInt_MatchesNumPySeed123()
    {
        var r = new RandomState(123);
        var got = new long[5];
        for (int i = 0; i < 5; i++) got[i] = r.RandInt(0, 5);
        CollectionAssert.AreEqual(new long[] { 2, 4, 2, 1, 3 }, got);
    }
}
