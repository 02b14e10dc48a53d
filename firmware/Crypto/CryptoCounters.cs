namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// Operation counts for the benchmarks: on an interpreter, field multiplications and hash compressions
    /// are the cost. Plain static counters (a few increments per operation); reset before measuring.
    /// </summary>
    public static class CryptoCounters
    {
        public static long FieldMultiplications;
        public static long FieldSquarings;
        public static long Sha256Compressions;

        public static void Reset()
        {
            FieldMultiplications = 0;
            FieldSquarings = 0;
            Sha256Compressions = 0;
        }

        public static long FieldOperations
        {
            get { return FieldMultiplications + FieldSquarings; }
        }
    }
}
