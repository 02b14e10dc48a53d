using nanoFramework.Hardware.Esp32;

namespace SmartKey.Hal.Esp32
{
    /// <summary>Only RTC GPIOs can wake the ESP32 from deep sleep; nf.config's pins are checked against this map.</summary>
    public static class RtcPins
    {
        public static Sleep.WakeupGpioPin ToWakeupPin(int gpio)
        {
            switch (gpio)
            {
                case 0: return Sleep.WakeupGpioPin.Pin0;
                case 2: return Sleep.WakeupGpioPin.Pin2;
                case 4: return Sleep.WakeupGpioPin.Pin4;
                case 12: return Sleep.WakeupGpioPin.Pin12;
                case 13: return Sleep.WakeupGpioPin.Pin13;
                case 14: return Sleep.WakeupGpioPin.Pin14;
                case 15: return Sleep.WakeupGpioPin.Pin15;
                case 25: return Sleep.WakeupGpioPin.Pin25;
                case 26: return Sleep.WakeupGpioPin.Pin26;
                case 27: return Sleep.WakeupGpioPin.Pin27;
                case 32: return Sleep.WakeupGpioPin.Pin32;
                case 33: return Sleep.WakeupGpioPin.Pin33;
                case 34: return Sleep.WakeupGpioPin.Pin34;
                case 35: return Sleep.WakeupGpioPin.Pin35;
                case 36: return Sleep.WakeupGpioPin.Pin36;
                case 37: return Sleep.WakeupGpioPin.Pin37;
                case 38: return Sleep.WakeupGpioPin.Pin38;
                case 39: return Sleep.WakeupGpioPin.Pin39;
                default: return Sleep.WakeupGpioPin.None;
            }
        }
    }
}
