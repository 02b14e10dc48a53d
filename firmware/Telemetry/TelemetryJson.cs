using System.Text;
using SmartKey.Firmware.Battery;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>
    /// The only payloads that leave the lock unprompted (docs/telemetry.md), as JSON with a fixed set of keys:
    /// telemetry {"serial","firmware","battery":{"percent","millivolts","state"},"errors":{"code":count}} — errors
    /// only when the owner allows them — and OTA status {"state","error","offset","size"}.
    /// </summary>
    public static class TelemetryJson
    {
        public static byte[] Report(string serial, string firmware, int percent, int millivolts, BatteryState state, ErrorCounters errors)
        {
            StringBuilder sb = new StringBuilder(160);
            sb.Append("{\"serial\":");
            Quoted(sb, serial);
            sb.Append(",\"firmware\":");
            Quoted(sb, firmware);
            sb.Append(",\"battery\":{\"percent\":").Append(percent.ToString())
              .Append(",\"millivolts\":").Append(millivolts.ToString())
              .Append(",\"state\":\"").Append(BatteryStateName(state)).Append("\"}");
            if (errors != null)
            {
                sb.Append(",\"errors\":{");
                for (int i = 0; i < errors.Distinct; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append('"').Append(((int)errors.CodeAt(i)).ToString()).Append("\":").Append(errors.CountAt(i).ToString());
                }

                sb.Append('}');
            }

            sb.Append('}');
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        public static byte[] OtaStatus(byte state, byte error, int offset, int size)
        {
            StringBuilder sb = new StringBuilder(80);
            sb.Append("{\"state\":\"").Append(OtaStateName(state)).Append("\",\"error\":").Append(((int)error).ToString())
              .Append(",\"offset\":").Append(offset.ToString()).Append(",\"size\":").Append(size.ToString()).Append('}');
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        public static string BatteryStateName(BatteryState state)
        {
            return state == BatteryState.Critical ? "critical" : state == BatteryState.Low ? "low" : "ok";
        }

        public static string OtaStateName(byte state)
        {
            switch (state)
            {
                case 1: return "downloading";
                case 2: return "verifying";
                case 3: return "testing";
                case 4: return "confirmed";
                case 5: return "reverted";
                case 6: return "failed";
                default: return "idle";
            }
        }

        private static void Quoted(StringBuilder sb, string text)
        {
            sb.Append('"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\') sb.Append('\\');
                if (c >= 0x20 && c < 0x7F) sb.Append(c);
            }

            sb.Append('"');
        }
    }
}
