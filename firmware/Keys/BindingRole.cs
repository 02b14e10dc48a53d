namespace SmartKey.Firmware.Keys
{
    public static class BindingRole
    {
        public const byte Owner = 1;
        public const byte Guest = 2;
    }
}
