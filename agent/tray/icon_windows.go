package tray

// iconFormat: the Windows notification area takes .ico.
const iconFormat = "ico"
