using Graph.Samples.Formatting;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary><see cref="PythonFormat"/> against what CPython and numpy print.</summary>
public sealed class PythonFormatTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.8500000000000001, "0.8500000000000001")]
    [InlineData(0.30250000000000005, "0.30250000000000005")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5055622665134859e-05, "1.5055622665134859e-05")]
    [InlineData(1.0799505792475652e-27, "1.0799505792475652e-27")]
    [InlineData(123.0, "123.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(6003785411879960.0, "6003785411879960.0")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(5.403406870691965e+16, "5.403406870691965e+16")]
    [InlineData(1.2345678901234568e+17, "1.2345678901234568e+17")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1e100, "1e+100")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void ReprOfDouble(double value, string python) => Assert.Equal(python, PythonFormat.Repr(value));

    [Theory]
    [InlineData(0.1f, "0.1")]
    [InlineData(0.85f, "0.85")]
    [InlineData(1f / 3f, "0.33333334")]
    [InlineData(16777216f, "16777216.0")]
    [InlineData(1e-5f, "1e-05")]
    [InlineData(1.5055923e-05f, "1.5055923e-05")]
    [InlineData(float.MaxValue, "3.4028235e+38")]
    [InlineData(-0f, "-0.0")]
    public void ReprOfFloatUsesItsOwnShortestDigits(float value, string numpy) => Assert.Equal(numpy, PythonFormat.Repr(value));

    [Fact]
    public void ReprOfGenericValueFollowsItsType()
    {
        Assert.Equal("0.1", PythonFormat.Repr<float>(0.1f));
        Assert.Equal("0.10000000149011612", PythonFormat.Repr<double>(0.1f));
    }

    [Fact]
    public void ListOfFloats()
    {
        Assert.Equal("[0.195, 0.13, 0.5850000000000001]", PythonFormat.List<double>([0.195, 0.13, 0.5850000000000001]));
        Assert.Equal("[]", PythonFormat.List<double>([]));
        Assert.Equal("[0.0, -1e-05, 1e+16]", PythonFormat.List<double>([0.0, -1e-05, 1e16]));
    }

    [Fact]
    public void ListWithIntegerZeros()
    {
        Assert.Equal("[0, -0.09099999999999994, -0.16799999999999987]", PythonFormat.List<double>([0.0, -0.09099999999999994, -0.16799999999999987], [0]));
        Assert.Throws<ArgumentException>(() => PythonFormat.List<double>([1.0, 2.0], [0]));
    }

    [Fact]
    public void NestedList() => Assert.Equal(
        "[[0.061325, 0.0970425], [-0.07352500000000001, 1.2943775]]",
        PythonFormat.NestedList<double>([0.061325, 0.0970425, -0.07352500000000001, 1.2943775], 2, 2));

    /// <summary>E3.7: every value with 8 digits at most, padded to the widest fraction.</summary>
    [Fact]
    public void NumpyVectorPadsFractions() =>
        Assert.Equal("[0.2135 0.145  0.5065]", PythonFormat.NumpyArray<double>([0.21350000000000002, 0.14500000000000002, 0.5065]));

    /// <summary>B6.a: integral values print with a bare point.</summary>
    [Fact]
    public void NumpyVectorOfHalves()
    {
        Assert.Equal("[0.  0.5 1.  0.5]", PythonFormat.NumpyArray<double>([0, 0.5, 1, 0.5]));
        Assert.Equal("[0.5 1.5 2.5 1.5]", PythonFormat.NumpyArray<double>([0.5, 1.5, 2.5, 1.5]));
    }

    /// <summary>E3.8: <c>np.zeros((2,4))</c> and a 2x5 matrix of the book's printed values.</summary>
    [Fact]
    public void NumpyMatrices()
    {
        Assert.Equal("[[0. 0. 0. 0.]\n [0. 0. 0. 0.]]", PythonFormat.NumpyArray<double>(new double[8], 2, 4));
        Assert.Equal(
            "[[0.57098209 0.13800791 0.7065916  0.77809562 0.8438687 ]\n [0.8953357  0.66488207 0.00939334 0.10181642 0.09276199]]",
            PythonFormat.NumpyArray<double>(
                [0.57098209, 0.13800791, 0.7065916, 0.77809562, 0.8438687, 0.8953357, 0.66488207, 0.00939334, 0.10181642, 0.09276199],
                2,
                5));
    }

    /// <summary>numpy bool arrays: <c>True</c> is padded to the width of <c>False</c> (E13.3-E13.6).</summary>
    [Fact]
    public void NumpyBoolArrays()
    {
        Assert.Equal("[ True  True  True  True  True]", PythonFormat.NumpyBoolArray([true, true, true, true, true]));
        Assert.Equal("[False False False False False]", PythonFormat.NumpyBoolArray(new bool[5]));
        Assert.Equal("[[ True False]\n [False  True]]", PythonFormat.NumpyBoolArray([true, false, false, true], 2, 2));
    }

    /// <summary>E6.4: rows longer than 75 characters wrap under the opening bracket.</summary>
    [Fact]
    public void NumpyMatrixRowsWrap()
    {
        double[] values =
        [
            0.96826158, 0.31342418, 0.69232262, 0.87638915, 0.89460666, 0.08504421, 0.03905478,
            0.16983042, 0.8781425, 0.09834683, 0.42110763, 0.95788953, 0.53316528, 0.69187711,
        ];
        Assert.Equal(
            "[[0.96826158 0.31342418 0.69232262 0.87638915 0.89460666 0.08504421\n  0.03905478]\n" +
            " [0.16983042 0.8781425  0.09834683 0.42110763 0.95788953 0.53316528\n  0.69187711]]",
            PythonFormat.NumpyArray<double>(values, 2, 7));
    }

    /// <summary>The notes' E5.4 print of outer(input, delta): a negative column widens every element by its sign.</summary>
    [Fact]
    public void NumpyMatrixWithNegatives()
    {
        double[] input = [8.5, 0.65, 1.2];
        double[] delta = [0.45500000000000007, -0.019999999999999907, 0.8650000000000001];
        var outer = new double[9];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                outer[(i * 3) + j] = input[i] * delta[j];
            }
        }

        Assert.Equal(
            "[[ 3.8675  -0.17     7.3525 ]\n [ 0.29575 -0.013    0.56225]\n [ 0.546   -0.024    1.038  ]]",
            PythonFormat.NumpyArray<double>(outer, 3, 3));
    }

    /// <summary>numpy switches every element to scientific notation when one is below 1e-4, one reaches 1e8, or they span more than 1e3.</summary>
    [Theory]
    [InlineData(new[] { 1e-5, 1.0 }, "[1.e-05 1.e+00]")]
    [InlineData(new[] { -1e-5, 1.0 }, "[-1.e-05  1.e+00]")]
    [InlineData(new[] { 1.5055622665134859e-05, 1.0 }, "[1.50556227e-05 1.00000000e+00]")]
    [InlineData(new[] { 123456789.0 }, "[1.23456789e+08]")]
    [InlineData(new[] { 1e8, 1.0 }, "[1.e+08 1.e+00]")]
    [InlineData(new[] { 0.001, 2.0 }, "[1.e-03 2.e+00]")]
    [InlineData(new[] { 1e-100, 0.0 }, "[1.e-100 0.e+000]")]
    public void NumpyScientific(double[] values, string numpy) => Assert.Equal(numpy, PythonFormat.NumpyArray<double>(values));

    /// <summary>Positional rounding at 8 decimals is numpy's Dragon4: the exact value, ties to even.</summary>
    [Theory]
    [InlineData(0.001953125, "[0.00195312]")]
    [InlineData(0.005859375, "[0.00585938]")]
    [InlineData(0.123456789, "[0.12345679]")]
    [InlineData(0.999999999, "[1.]")]
    [InlineData(-0.0, "[-0.]")]
    [InlineData(12345.678901234, "[12345.67890123]")]
    public void NumpyPositionalRounding(double value, string numpy) => Assert.Equal(numpy, PythonFormat.NumpyArray<double>([value]));

    [Fact]
    public void NumpyNonFinite()
    {
        Assert.Equal("[nan 1.5]", PythonFormat.NumpyArray<double>([double.NaN, 1.5]));
        Assert.Equal("[-inf   1.]", PythonFormat.NumpyArray<double>([double.NegativeInfinity, 1.0]));
    }

    [Fact]
    public void NumpyFloat32UsesFloatDigits() =>
        Assert.Equal("[0.21349996 0.145      0.50649995]", PythonFormat.NumpyArray<float>([0.21349996f, 0.145f, 0.50649995f]));

    [Fact]
    public void NumpyShapeMustMatch() =>
        Assert.Throws<ArgumentException>(() => PythonFormat.NumpyArray<double>([1.0, 2.0, 3.0], 2, 2));

    [Fact]
    public void NumpyIntegerArraysPadToTheWidestElement()
    {
        Assert.Equal("[13 15 17]", PythonFormat.NumpyIntegerArray([13, 15, 17]));
        Assert.Equal("[  1 -20 300]", PythonFormat.NumpyIntegerArray([1, -20, 300]));
        Assert.Equal("[[1 0]\n [0 1]]", PythonFormat.NumpyIntegerArray([1, 0, 0, 1], 2, 2));
    }

    [Fact]
    public void NumpyIntegerArraysWrapAtSeventyFiveCharacters() =>
        // numpy: print(np.arange(100000, 100013)); each element is 6 characters, ten fit on the first line.
        Assert.Equal(
            "[100000 100001 100002 100003 100004 100005 100006 100007 100008 100009\n 100010 100011 100012]",
            PythonFormat.NumpyIntegerArray(Enumerable.Range(100000, 13).Select(i => (long)i).ToArray()));

    [Fact]
    public void StringListsQuoteEachStringAsPythonDoes()
    {
        Assert.Equal("['mary', 'moved', '\\tbathroom\\t1']", PythonFormat.StringList(["mary", "moved", "\tbathroom\t1"]));
        Assert.Equal("[\"don't\", '']", PythonFormat.StringList(["don't", ""]));
        Assert.Equal("[['a'], [], ['b', 'c']]", PythonFormat.NestedStringList([["a"], [], ["b", "c"]]));
    }
}
