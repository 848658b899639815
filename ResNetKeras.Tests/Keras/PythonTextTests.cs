using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Python's str() of floats and NumPy's str() of float32 scalars, as Keras's messages and CSV rows print them (expected values printed by Python 3.11 / NumPy 1.24).</summary>
[TestClass]
public sealed class PythonTextTests
{
    [TestMethod]
    [DataRow(0.001, "0.001")]
    [DataRow(1e-05, "1e-05")]
    [DataRow(0.0001, "0.0001")]
    [DataRow(1e16, "1e+16")]
    [DataRow(1e15, "1000000000000000.0")]
    [DataRow(123.0, "123.0")]
    [DataRow(0.30000000000000004, "0.30000000000000004")]
    [DataRow(5e-07, "5e-07")]
    [DataRow(1.5e-07, "1.5e-07")]
    [DataRow(-2.5, "-2.5")]
    [DataRow(0.0, "0.0")]
    [DataRow(1.1805916207174113e+21, "1.1805916207174113e+21")]
    [DataRow(0.00031622776601683794, "0.00031622776601683794")]
    [DataRow(1.2345678901234568e+16, "1.2345678901234568e+16")]
    [DataRow(0.00010000000474974513, "0.00010000000474974513")]
    [DataRow(double.NaN, "nan")]
    [DataRow(double.NegativeInfinity, "-inf")]
    public void PyStr_Float64(double value, string python) => Assert.AreEqual(python, Callback.PyStr(value));

    [TestMethod]
    [DataRow(1e-4f, "1e-04")]
    [DataRow(1e-5f, "1e-05")]
    [DataRow(0.001f, "0.001")]
    [DataRow(5e-7f, "5e-07")]
    [DataRow(1.5e15f, "1500000000000000.0")]
    [DataRow(1e16f, "1e+16")]
    [DataRow(0.1f, "0.1")]
    [DataRow(3f, "3.0")]
    [DataRow(0.00031622776f, "0.00031622776")]
    public void PyStr_NumPyFloat32(float value, string numpy) => Assert.AreEqual(numpy, Callback.PyStr(value));

    [TestMethod]
    public void LrSchedule_PrintsPythonFloats()
    {
        var w = new StringWriter();
        ResNetCifar.LrSchedule(81, w);
        ResNetCifar.LrSchedule(181, w);
        // Python: 1e-3 * 1e-1 == 0.0001 and 1e-3 * 0.5e-3 == 5e-07 exactly as printed by the tutorial.
        Assert.AreEqual("Learning rate:  0.0001\nLearning rate:  5e-07\n", w.ToString().Replace("\r\n", "\n"));
    }
}
