; Inno Setup 6 script: the per-user installer of Tiers (梯度培育企业库) for Windows 10/11.
; Built by packaging/build.sh on Windows (Git Bash) after PyInstaller has made dist\tiers\:
;   ISCC /DAppVersion=0.1.0 packaging\windows\tiers.iss   →   dist\tiers-setup-0.1.0.exe
; No administrator rights: installs into %LOCALAPPDATA%\Programs\Tiers for this user only.
; The database, its backups, the settings and the log live elsewhere (%LOCALAPPDATA%\Tiers,
; the registry key HKCU\Software\Tiers) and are never touched by the uninstaller.
; NOT VERIFIED on this project's machines (Linux): built and smoke-tested only by
; .github/workflows/windows.yml on a hosted Windows runner.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "梯度培育企业库"
; the repository, relative to this script
#define Root "..\.."

[Setup]
AppId={{3C5B0F7E-6A1D-4E55-9C2B-7F1E2D4A8B61}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Tiers
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}（Tiers）
VersionInfoDescription={#AppName} 安装程序
; per user, no UAC prompt; {autopf} is then %LOCALAPPDATA%\Programs
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\Tiers
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#Root}\resources\icons\tiers.ico
UninstallDisplayIcon={app}\tiers-client.exe
UninstallDisplayName={#AppName}
OutputDir={#Root}\dist
OutputBaseFilename=tiers-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes

[Languages]
; Inno Setup's Simplified Chinese messages, put into build\ by the workflow (copied from
; Inno Setup's Languages folder, or fetched from jrsoftware/issrc where it is unofficial)
Name: "chs"; MessagesFile: "{#Root}\build\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面上创建快捷方式"; GroupDescription: "快捷方式："

[Files]
Source: "{#Root}\dist\tiers\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\tiers-client.exe"; WorkingDir: "{userdocs}"; Comment: "优质中小企业梯度培育与链主企业数据库"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\tiers-client.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\tiers-client.exe"; Description: "立即运行{#AppName}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the program folder (Python may leave caches of the migrations there); the users'
; data is in %LOCALAPPDATA%\Tiers, which is not listed here
Type: filesandordirs; Name: "{app}"
