# ruff: noqa: E501  (the problem table is one problem a line)
"""The source of the knowledge evaluation set (``eval_articles.jsonl``, ``eval_queries.jsonl``).

Written for this project: service-desk problems, each with an English and a Chinese write-up
and the questions users ask about it in both languages. ``python eval_source.py`` writes the
two JSONL files next to it (the tests and the benchmark read only the JSONL files).

Articles: every problem gives a full English article, a full Chinese article and a short
quick-fix note (English or Chinese, alternating); every category also has service notices
(maintenance, policies, purchases) that share its vocabulary without solving anything.

Relevance labels (graded, by intent, never by a ranking function): for a query about problem
P, P's articles in the query's language are 3, P's article in the other language is 2, the
other problems of the same category are 1; everything else is 0 (not listed).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent

# category | tags | en title | en cause | en fix | zh title | zh cause | zh fix | en query | zh query
PROBLEMS = """
network/vpn|vpn|VPN error 809 when connecting from home|Your home router or firewall blocks UDP ports 500 and 4500 used by IPsec.|Enable IPsec passthrough on the router, or switch the client to the SSL profile.|在家连接 VPN 报错 809|家用路由器或防火墙拦截了 IPsec 使用的 UDP 500 和 4500 端口。|在路由器上开启 IPsec 穿透，或在客户端改用 SSL 配置文件。|vpn keeps failing with error 809 at home|在家连不上VPN，提示809
network/vpn|vpn,password|VPN error 691: user name or password rejected|The VPN uses your domain password; it was changed or has expired.|Reset the domain password in the self-service portal, wait five minutes, then reconnect.|VPN 错误 691：用户名或密码被拒绝|VPN 使用域账号密码，密码已修改或已过期。|在自助门户重置域密码，等待五分钟后重新连接。|VPN says wrong password 691 but I can log in to my PC|VPN提示691密码错误
network/vpn|vpn|VPN disconnects every few minutes|Power saving on the wireless adapter drops the tunnel when the link is idle.|Disable power saving for the Wi-Fi adapter in Device Manager and update the VPN client.|VPN 每隔几分钟就断开|无线网卡的节能设置在空闲时断开了隧道。|在设备管理器中关闭无线网卡节能，并升级 VPN 客户端。|VPN drops every few minutes|VPN老是掉线
network/vpn|vpn,mac|Install the VPN client on a Mac|macOS blocks the system extension of the client until you allow it.|Download the client from the software portal, open System Settings, Privacy and Security, and allow the extension.|在 Mac 上安装 VPN 客户端|macOS 默认阻止客户端的系统扩展。|从软件门户下载客户端，在系统设置的隐私与安全性中允许该扩展。|how do I set up the vpn on my macbook|苹果电脑怎么装VPN
network/vpn|vpn,certificate|VPN certificate expired|The machine certificate used by the always-on VPN expired and was not renewed.|Connect to the office network once, or run the certificate renewal tool from the software portal.|VPN 证书过期无法连接|自动连接 VPN 使用的计算机证书已过期且未续订。|在办公室网络连接一次，或从软件门户运行证书续订工具。|vpn certificate has expired|VPN证书到期了连不上
network/vpn|vpn|Internal websites are slow over VPN|All traffic goes through the tunnel, including video streaming.|Use the split-tunnel profile so that only company traffic uses the VPN.|通过 VPN 访问内网很慢|所有流量都经过隧道，包括视频流。|改用分流配置，只让公司流量走 VPN。|intranet very slow on vpn|连着VPN内网网页很慢
network/wifi|wifi|Cannot join the office Wi-Fi after a password change|The saved Wi-Fi profile still uses your old domain password.|Forget the CORP network on the device and join it again with the new password.|修改密码后无法连接办公室无线网络|设备上保存的无线配置仍使用旧的域密码。|在设备上忽略 CORP 网络，用新密码重新加入。|laptop won't connect to wifi since I changed my password|改了密码后连不上公司WiFi
network/wifi|wifi,visitor|Guest Wi-Fi for visitors|Visitors cannot use the CORP network; they need a guest voucher.|Request a guest voucher at reception or in the portal; it is valid for 24 hours.|访客如何使用无线网络|访客不能使用 CORP 网络，需要访客凭证。|在前台或门户申请访客凭证，有效期 24 小时。|wifi access for visitors|访客怎么连无线
network/wifi|wifi|Wi-Fi drops in the meeting rooms|The meeting rooms are served by access points that hand over slowly.|Move to the 5 GHz network CORP-5G; report the room number if it continues.|会议室无线网络经常断开|会议室的无线接入点切换较慢。|改连 5 GHz 网络 CORP-5G；如仍断开请报告会议室编号。|wi-fi keeps dropping in meeting room 3|会议室WiFi老掉线
network/wifi|wifi|Connected to Wi-Fi but no internet|The device got a self-assigned address because DHCP timed out.|Turn Wi-Fi off and on, or run ipconfig /renew; call the desk if the address starts with 169.254.|已连接无线但无法上网|DHCP 超时，设备获得了自分配地址。|关闭再打开无线，或运行 ipconfig /renew；若地址以 169.254 开头请联系服务台。|wifi connected but no internet access|WiFi连上了但是上不了网
network/wifi|wifi,phone|Connect a phone to the company Wi-Fi|Phones need the CORP-Mobile network and enrolment in device management.|Enrol the phone in the company portal app, then pick CORP-Mobile; the profile installs itself.|手机连接公司无线网络|手机需要使用 CORP-Mobile 网络并注册设备管理。|在公司门户应用中注册手机，然后选择 CORP-Mobile，配置会自动安装。|how to get my iphone on the office wifi|手机怎么连公司WiFi
accounts/password|password|Forgotten password: reset it yourself|Passwords can be reset in the self-service portal after verifying your phone.|Open the self-service portal, choose Forgot password, verify with the code sent to your phone.|忘记密码自助重置|在自助门户验证手机后即可重置密码。|打开自助门户，选择忘记密码，输入发到手机的验证码。|I forgot my password|忘记密码怎么办
accounts/password|password,locked|Account locked after too many attempts|Five wrong passwords lock the account for 30 minutes; old devices with saved passwords often cause it.|Wait 30 minutes or unlock it in the self-service portal, then update the password on your phone mail app.|多次输错密码账号被锁定|输错五次密码账号会锁定 30 分钟，常因旧设备保存了旧密码。|等待 30 分钟或在自助门户解锁，然后更新手机邮件应用里的密码。|my account is locked out|账号被锁了
accounts/password|password,expired|Password expired warning|Domain passwords expire every 90 days; you are warned 14 days before.|Change it with Ctrl+Alt+Del, Change a password, while connected to the office network or VPN.|密码即将过期提醒|域密码每 90 天过期，提前 14 天提醒。|连接办公网络或 VPN 后按 Ctrl+Alt+Del 选择更改密码。|password expiring how to change it|密码快过期了怎么改
accounts/password|password|Password rules for domain accounts|New passwords need 12 characters and cannot repeat the last 10.|Use a passphrase of several words; the portal shows which rule failed.|域账号密码规则|新密码至少 12 位，且不能与最近 10 次重复。|使用由多个词组成的口令，门户会提示未满足的规则。|what are the password requirements|密码有什么要求
accounts/mfa|mfa,phone|Set up multi-factor authentication on a new phone|The authenticator app is tied to the old phone.|Sign in at the security info page, remove the old phone, add the authenticator on the new one; ask the desk if you lost the old phone.|换手机后重新设置多因素认证|身份验证器应用绑定在旧手机上。|登录安全信息页面，删除旧手机，在新手机上添加验证器；旧手机丢失请联系服务台。|MFA new phone|换手机了多因素认证怎么办
accounts/mfa|mfa|MFA prompts keep appearing|Sign-in sessions are not remembered when the browser clears cookies.|Allow cookies for the login site and tick Stay signed in; approve only prompts you started.|反复弹出 MFA 验证|浏览器清除 Cookie 后不会记住登录会话。|允许登录网站的 Cookie 并勾选保持登录；只批准自己发起的验证。|keeps asking for 2fa approval all the time|老是让我做二次验证
accounts/mfa|mfa,security|Unexpected MFA request I did not start|Someone may know your password and is trying to sign in.|Deny the request, change your password at once and report it to security.|收到不是自己发起的 MFA 请求|可能有人知道你的密码并尝试登录。|拒绝请求，立即修改密码并向安全团队报告。|got an mfa push i didn't request|收到陌生的多因素认证请求
accounts/mfa|mfa|No MFA code by text message|The phone number registered for verification is out of date.|Use the authenticator app instead, or ask the desk to update your registered number.|收不到 MFA 短信验证码|登记的验证手机号已过时。|改用身份验证器应用，或请服务台更新登记的手机号。|not receiving mfa sms code|收不到多因素认证短信
accounts/access|access|Request access to a shared folder|Folder access is granted by the folder owner through the access request form.|Open the access request form, pick the folder path, and your request goes to the owner for approval.|申请共享文件夹权限|共享文件夹权限由文件夹负责人通过权限申请单审批。|打开权限申请单，选择文件夹路径，申请会发给负责人审批。|how do I get access to the finance shared drive|怎么申请共享文件夹权限
accounts/access|access|New employee account not ready|Accounts are created the day before the start date once HR confirms the hire.|Ask the manager to check the hire in the HR system; the desk can create the account after confirmation.|新员工账号还没开通|人事确认入职后，账号在入职前一天创建。|请经理在人事系统中确认入职，确认后服务台可创建账号。|new starter has no login yet|新同事账号没开通
accounts/access|access|Access denied after moving team|Permissions of the old team were removed and the new ones not yet requested.|Your new manager requests the role of the new team; old access is not restored.|调岗后提示拒绝访问|原团队权限已移除，新团队权限尚未申请。|由新经理申请新团队角色；原权限不会恢复。|access denied after I changed department|换部门后没有权限了
email|outlook,email|Outlook keeps asking for the password|Cached credentials are out of date after a password change.|Remove the Outlook entries in Credential Manager and restart Outlook.|Outlook 反复提示输入密码|修改密码后缓存的凭据已过期。|在凭据管理器中删除 Outlook 条目后重启 Outlook。|outlook keeps prompting for password|Outlook一直要求输入密码
email|outlook,email|Outlook does not sync new mail|The offline data file is damaged or too large.|Close Outlook, rename the OST file, and reopen Outlook to rebuild it.|Outlook 收不到新邮件|脱机数据文件损坏或过大。|关闭 Outlook，重命名 OST 文件，再打开 Outlook 重建。|outlook not receiving new emails|Outlook不同步新邮件
email|email|Mailbox full|The mailbox reached its 50 GB quota and can no longer send.|Empty Deleted Items, archive old mail to the online archive, or request more space.|邮箱已满无法发送|邮箱达到 50 GB 配额，无法再发送邮件。|清空已删除邮件，将旧邮件归档到在线存档，或申请扩容。|mailbox full can't send|邮箱满了发不出去
email|email,phone|Set up company email on a phone|Mail on phones requires the Outlook app and device enrolment.|Install Outlook from the app store, enrol the phone, and sign in with your company account.|在手机上设置公司邮箱|手机收发邮件需要 Outlook 应用并注册设备。|从应用商店安装 Outlook，注册手机后用公司账号登录。|how to get work email on my android phone|手机上怎么收公司邮件
email|email|Email to an external address bounces|The recipient domain rejects mail or the address is mistyped.|Check the address; if the bounce mentions SPF or blocked, send the bounce message to the desk.|发送外部邮件被退回|收件方域名拒收或地址拼写错误。|检查地址；如退信提到 SPF 或被阻止，请将退信转发给服务台。|my email to a customer bounced back|发给客户的邮件被退回了
email|email,security|Report a phishing email|Suspicious messages should be reported, not forwarded.|Use the Report Phishing button in Outlook; do not click links or open attachments.|如何举报钓鱼邮件|可疑邮件应举报，而不是转发。|使用 Outlook 中的举报钓鱼按钮，不要点击链接或打开附件。|how to report a phishing mail|收到钓鱼邮件怎么举报
email|email|Shared mailbox does not appear in Outlook|Permission was granted but Outlook has not refreshed its profile.|Restart Outlook after an hour, or add the shared mailbox manually under Account Settings.|共享邮箱在 Outlook 中不显示|已授予权限但 Outlook 尚未刷新配置。|一小时后重启 Outlook，或在账户设置中手动添加共享邮箱。|shared mailbox not showing up|共享邮箱看不到
hardware/printer|printer|Printer paper jam|Paper is stuck in the rear unit or the tray is overfilled.|Open the rear cover, pull the paper out gently, and load no more than 250 sheets.|打印机卡纸|纸张卡在后部单元或纸盒装得太满。|打开后盖轻轻取出纸张，纸盒不要超过 250 张。|printer jammed|打印机卡纸了
hardware/printer|printer|Printer shows offline|The print queue lost the connection after the printer got a new address.|Restart the print spooler, or remove and re-add the printer from the print portal.|打印机显示脱机|打印机获得新地址后打印队列失去连接。|重启打印后台处理程序，或从打印门户删除并重新添加打印机。|printer offline on my laptop|打印机脱机打不了
hardware/printer|printer|Add a network printer|Printers are installed from the print portal by floor and room.|Open the print portal, choose your floor, and click Install next to the printer.|添加网络打印机|打印机通过打印门户按楼层和房间安装。|打开打印门户，选择楼层，点击打印机旁的安装。|how do I add the printer on floor 3|怎么添加三楼的打印机
hardware/printer|printer|Scan to email does not work|The scanner's sender address was blocked after the mail relay change.|Use Scan to Folder meanwhile; the desk updates the relay settings of the device.|扫描到邮箱不工作|邮件中继变更后扫描仪的发件地址被阻止。|暂时使用扫描到文件夹；服务台会更新设备的中继设置。|scanner not sending to email|扫描发不到邮箱
hardware/printer|printer|Printouts are faded or streaky|The toner cartridge is nearly empty or the drum is dirty.|Order toner through the portal with the printer's asset tag; shake the cartridge meanwhile.|打印字迹模糊有条纹|硒鼓墨粉快用完或感光鼓脏了。|通过门户按打印机资产编号订购墨粉；暂时可摇匀硒鼓。|prints coming out faded|打印出来颜色很淡有条纹
hardware/laptop|laptop|Laptop battery drains quickly|Background apps and high screen brightness use the battery; old batteries wear out.|Use battery saver and check battery health in the support app; request a replacement below 60 percent.|笔记本电池耗电很快|后台应用和高亮度消耗电量，旧电池会老化。|开启省电模式并在支持应用中查看电池健康；低于 60% 可申请更换。|laptop battery dies fast|笔记本电池不耐用
hardware/laptop|laptop,screen|External monitor not detected|The docking station firmware or the cable does not support the display.|Update the dock firmware from the software portal and try another cable; press Win+P to extend.|外接显示器无法识别|扩展坞固件或线缆不支持该显示器。|从软件门户更新扩展坞固件并更换线缆；按 Win+P 选择扩展。|second screen not working with docking station|外接显示器没反应
hardware/laptop|laptop|Laptop very slow|Disk is almost full or updates are installing in the background.|Restart, let updates finish, and free disk space; the desk can check the disk health.|笔记本电脑运行很慢|磁盘快满或后台正在安装更新。|重启并等待更新完成，清理磁盘空间；服务台可检查硬盘健康。|my laptop is really slow|电脑特别卡
hardware/laptop|laptop|Request a new laptop|Laptops are replaced after four years or when repair is not economical.|Order through the hardware catalogue with your manager's approval; delivery takes five working days.|申请新笔记本电脑|笔记本电脑使用满四年或维修不划算时更换。|经理审批后在硬件目录下单，五个工作日送达。|how to order a new laptop|怎么申请新电脑
hardware/laptop|laptop,windows|Blue screen after an update|A driver is not compatible with the latest Windows update.|Start in safe mode, roll back the display driver, and report the stop code to the desk.|更新后蓝屏|某个驱动与最新的 Windows 更新不兼容。|进入安全模式，回滚显卡驱动，并把停止代码报给服务台。|blue screen of death after windows update|更新之后电脑蓝屏
hardware/laptop|laptop,security|Lost or stolen laptop|A lost device can expose company data until it is locked.|Report it to the desk at once so the laptop is locked and wiped; file a police report if stolen.|笔记本电脑丢失或被盗|设备被锁定前可能泄露公司数据。|立即报告服务台以远程锁定并擦除；被盗请报警。|I lost my laptop on the train|电脑丢了怎么办
hardware/phone|phone|Desk phone shows no service|The phone lost its registration after a network change.|Unplug the phone for ten seconds; if it still shows no service, give the desk the extension number.|座机显示无服务|网络变更后话机失去注册。|拔掉电话十秒后再插上；仍无服务请告诉服务台分机号。|desk phone says no service|座机没信号打不出去
hardware/phone|phone|Set up voicemail|Voicemail needs a PIN set on first use.|Press the message key, follow the prompts to set a PIN and record your greeting.|设置语音信箱|首次使用语音信箱需要设置 PIN。|按留言键，按提示设置 PIN 并录制问候语。|how to set up voicemail on my phone|座机语音信箱怎么设置
hardware/phone|phone|Company mobile phone request|Mobile phones are issued to roles that are on call or travel.|Submit the mobile request form with your manager's approval; a SIM and phone are sent in a week.|申请公司手机|值班或出差的岗位可配发手机。|经理审批后提交手机申请单，一周内寄送手机和 SIM 卡。|can I get a company mobile|怎么申请工作手机
software/install|software|Install software from the software portal|Standard software can be installed without admin rights from the portal.|Open the software portal, search the application and click Install; it appears in the Start menu.|从软件门户安装软件|标准软件无需管理员权限即可从门户安装。|打开软件门户，搜索应用并点击安装，完成后在开始菜单中出现。|how do I install software|怎么安装软件
software/install|software|Software not in the portal|Software that is not in the catalogue needs a licence and a security review.|Submit a software request with the product name and business reason; approval takes about a week.|门户中没有需要的软件|目录外的软件需要许可证并通过安全评审。|提交软件申请，写明产品名称和业务原因，审批约一周。|the program I need is not in the software center|我要的软件门户里没有
software/install|software,license|Licence expired message|The licence server could not be reached or your seat was reassigned.|Connect to the office network or VPN and restart the application; the desk can reassign a seat.|提示许可证过期|无法连接许可证服务器，或你的授权被重新分配。|连接办公网络或 VPN 后重启应用；服务台可重新分配授权。|license expired error in autocad|软件提示许可证到期
software/install|software,windows|Installation fails with error 1603|Another installation is running or the previous version did not uninstall cleanly.|Restart, remove the old version from Settings, then install again from the portal.|安装失败错误 1603|另一个安装正在进行或旧版本未卸载干净。|重启后在设置中卸载旧版本，再从门户重新安装。|install error 1603|安装软件报错1603
software/office|office,excel|Excel crashes when opening a file|An add-in or a damaged file makes Excel close.|Start Excel in safe mode, disable add-ins, and open a copy of the file.|Excel 打开文件时崩溃|加载项或文件损坏导致 Excel 关闭。|以安全模式启动 Excel，禁用加载项并打开文件副本。|excel closes when I open a spreadsheet|Excel一打开文件就闪退
software/office|office|Office asks to activate|The Office licence is tied to your account and needs a sign-in.|Sign in to Office with your company account from File, Account.|Office 提示需要激活|Office 许可绑定账号，需要登录。|在文件、账户中用公司账号登录 Office。|office says product activation required|Office提示未激活
software/office|office,teams|Teams microphone not working|Teams uses a different audio device than the headset.|In Teams settings, Devices, choose the headset for microphone and speaker, and allow microphone access in Windows privacy.|Teams 麦克风没有声音|Teams 使用的音频设备不是耳机。|在 Teams 设置的设备中选择耳机作为麦克风和扬声器，并在 Windows 隐私中允许麦克风。|people can't hear me in teams|Teams开会别人听不到我说话
software/office|office,teams|Teams meeting video freezes|Bandwidth is low on VPN or Wi-Fi.|Turn off incoming video, join from the office network, or use the split-tunnel VPN profile.|Teams 会议视频卡顿|VPN 或无线网络带宽不足。|关闭传入视频，使用办公网络或分流 VPN 配置。|teams video lagging in meetings|Teams开会视频很卡
software/office|office|Recover an unsaved document|Office keeps autosaved versions for four days.|Open File, Info, Manage Document, Recover Unsaved Documents.|恢复未保存的文档|Office 会保留四天内的自动保存版本。|打开文件、信息、管理文档、恢复未保存的文档。|word crashed and I didn't save|Word没保存怎么恢复
erp|erp,sap|ERP login fails with user locked|Three wrong passwords lock the ERP user, separately from the domain account.|Ask the desk to unlock the ERP user; ERP passwords are not reset in the self-service portal.|ERP 登录提示用户已锁定|ERP 用户输错三次密码会被锁定，与域账号分开。|请服务台解锁 ERP 用户；ERP 密码不能在自助门户重置。|SAP user locked|ERP账号被锁定登不上
erp|erp,sap|ERP purchase order stuck in approval|The approver is absent and no deputy is set.|Ask the approver to set a deputy, or ask the ERP team to reassign the workflow item.|ERP 采购订单卡在审批|审批人不在且未设置代理人。|请审批人设置代理，或请 ERP 团队重新分配审批任务。|purchase order waiting for approval for days|采购单一直在审批中
erp|erp|ERP report runs very slowly|Reports over a whole year scan millions of rows during business hours.|Schedule the report as a background job or narrow the date range.|ERP 报表运行很慢|全年数据的报表在工作时间扫描数百万行。|将报表设为后台作业运行或缩小日期范围。|erp report takes forever|ERP报表跑得很慢
erp|erp,access|Request an ERP role|ERP roles follow segregation of duties and need the process owner's approval.|Submit the ERP access form with the role name; the process owner approves within two days.|申请 ERP 角色权限|ERP 角色遵循职责分离，需要流程负责人审批。|提交 ERP 权限申请单并写明角色名称，流程负责人两天内审批。|need access to the finance module in sap|ERP权限怎么申请
storage/files|files,onedrive|OneDrive not syncing|The sync client stopped after a sign-in expired or a file name is invalid.|Click the OneDrive icon, sign in again, and rename files with characters like : or *.|OneDrive 不同步|登录过期或文件名无效导致同步客户端停止。|点击 OneDrive 图标重新登录，并重命名含有 : 或 * 的文件。|onedrive stopped syncing|OneDrive不同步了
storage/files|files|Restore a deleted file on a network drive|Network drives keep snapshots for 30 days.|Right-click the folder, Properties, Previous Versions, and restore the file.|恢复网络驱动器上删除的文件|网络驱动器保留 30 天的快照。|右键文件夹，属性，以前的版本，然后还原文件。|I deleted a file on the shared drive|共享盘上的文件删了能恢复吗
storage/files|files|Network drive missing|Drive mappings run at sign-in and need the office network or VPN.|Connect the VPN and sign out and in, or map the drive with the path from the portal.|网络驱动器不见了|驱动器映射在登录时运行，需要办公网络或 VPN。|连接 VPN 后注销并重新登录，或按门户中的路径手动映射。|my H drive disappeared|网络盘不见了
storage/files|files,security|Send a large file to a customer|Email attachments are limited to 25 MB.|Share the file from OneDrive with a link that expires; do not use personal file services.|给客户发送大文件|邮件附件限制为 25 MB。|用 OneDrive 分享有有效期的链接，不要使用个人网盘。|how to send a big file to a client|大文件怎么发给客户
security|security|Laptop says a virus was found|The antivirus quarantined a file it considers harmful.|Do not restore the file; restart and tell the desk the file name shown in the alert.|电脑提示发现病毒|杀毒软件隔离了认为有害的文件。|不要恢复该文件，重启并把警报中的文件名告诉服务台。|antivirus found a virus on my laptop|电脑报病毒了
security|security,browser|Website blocked by the proxy|The web filter blocks the site's category.|If you need it for work, submit an unblock request with the address and reason.|网站被代理拦截|网页过滤阻止了该网站类别。|如工作需要，提交解除拦截申请并写明网址和原因。|website blocked by company firewall|公司网络打不开某个网站
security|security,usb|USB drive not allowed|Company policy blocks unencrypted USB storage.|Use an encrypted company USB drive from the catalogue, or share files through OneDrive.|U 盘无法使用|公司策略禁止未加密的 USB 存储。|使用目录中的加密公司 U 盘，或通过 OneDrive 共享文件。|usb stick not working|U盘插上没反应
hardware/laptop|laptop,security|BitLocker asks for a recovery key|A firmware or hardware change made BitLocker distrust the start-up.|Call the desk with the key ID shown on screen; the desk reads you the 48-digit recovery key after verifying you.|BitLocker 要求输入恢复密钥|固件或硬件变更导致 BitLocker 不信任启动过程。|带着屏幕上的密钥 ID 联系服务台，核实身份后会告知 48 位恢复密钥。|bitlocker recovery key screen at startup|开机要输入BitLocker恢复密钥
hardware/laptop|laptop,camera|Webcam not working in video calls|Another application holds the camera or the privacy shutter is closed.|Open the shutter, close other video apps, and allow camera access in Windows privacy settings.|视频通话时摄像头不工作|其他应用占用了摄像头或隐私挡板关闭。|打开挡板，关闭其他视频应用，并在 Windows 隐私设置中允许摄像头。|camera not working in teams calls|开视频会议摄像头黑屏
accounts/access|access|Change of name on my account|A legal name change must come from HR before the account is renamed.|Send the change to HR; the account, email address and directory entry are updated the next working day.|账号姓名变更|法定姓名变更需先由人事提交，才能修改账号。|向人事提交变更，账号、邮箱地址和通讯录会在下一个工作日更新。|I got married and my name changed|改名了账号名字怎么改
email|email,outlook|Out of office reply|Automatic replies are set per mailbox in Outlook or on the web.|In Outlook choose File, Automatic Replies, write the message and set the dates.|设置外出自动回复|自动回复在 Outlook 或网页版中按邮箱设置。|在 Outlook 中选择文件、自动答复，填写内容并设置时间。|set up out of office auto reply|休假怎么设置邮件自动回复
collaboration|meeting|Book a meeting room with video|Rooms with video equipment are booked in the calendar as resources.|Add the room as a resource in the Outlook meeting; video rooms are marked with a camera icon.|预订带视频的会议室|带视频设备的会议室在日历中作为资源预订。|在 Outlook 会议中添加会议室资源，视频会议室带有摄像头图标。|book a room for a video conference|怎么订视频会议室
collaboration|meeting|Meeting room screen shows no signal|The room display is on the wrong input or the cable adapter is loose.|Press the input button on the remote until HDMI 1 shows, and reseat the adapter.|会议室屏幕无信号|会议室显示器输入源错误或转接头松了。|用遥控器切换到 HDMI 1，并重新插好转接头。|meeting room tv says no signal|会议室大屏没信号
collaboration|meeting,phone|Dial in to a meeting by phone|Every meeting invitation has a local dial-in number.|Call the number in the invitation and enter the conference ID followed by #.|用电话拨入会议|每个会议邀请都有本地拨入号码。|拨打邀请中的号码，输入会议 ID 后按 #。|join a teams meeting by phone|怎么用电话加入会议
"""

# category | notices: short service texts that share the category's words and solve nothing
NOTICES = """
network/vpn|VPN maintenance on Saturday night: the gateway restarts between 22:00 and 23:00.|VPN 网关将于周六 22:00 至 23:00 维护。|New VPN client version 5.2 will be rolled out next month.|VPN 客户端 5.2 版本将于下月推送。|VPN usage policy: do not share your VPN account.|VPN 使用规定：不得共享 VPN 账号。
network/wifi|Wi-Fi upgrade in building B: new access points on every floor.|B 栋无线网络升级：每层更换新的接入点。|The guest Wi-Fi network name changes to CORP-Guest.|访客无线网络名称改为 CORP-Guest。|Wireless coverage map of the campus.|园区无线覆盖图。
accounts/password|Password policy update: passphrases of 12 characters are now required.|密码策略更新：现要求 12 位以上口令。|Why we never ask for your password by email.|为什么我们从不通过邮件索要密码。|Self-service portal opening hours and languages.|自助门户服务时间和支持语言。
accounts/mfa|Multi-factor authentication becomes mandatory for all staff on 1 June.|6 月 1 日起全体员工必须启用多因素认证。|Supported authenticator apps.|支持的身份验证器应用。|MFA for contractors: registration steps for external staff.|外包人员多因素认证注册说明。
accounts/access|Quarterly access review: managers confirm their team's permissions.|季度权限复核：经理确认团队权限。|Joiner, mover, leaver process overview.|入职、调岗、离职流程概览。|Access request form guide.|权限申请单填写指南。
email|Mailbox migration to the new mail platform in March.|三月份邮箱迁移到新邮件平台。|Email signature template for 2026.|2026 年邮件签名模板。|Mail retention policy: deleted items are purged after 30 days.|邮件保留策略：已删除邮件 30 天后清除。
hardware/printer|Printer fleet replacement: new multifunction printers on floors 2 to 5.|打印机更新：2 至 5 楼更换新的多功能一体机。|Print quotas per department.|各部门打印配额。|Secure printing: release jobs with your badge.|安全打印：刷工卡释放打印任务。
hardware/laptop|Laptop refresh programme 2026: models and timeline.|2026 年笔记本电脑更换计划：型号和时间表。|Docking station models supported.|支持的扩展坞型号。|How to return a laptop when you leave.|离职时如何归还笔记本电脑。
hardware/phone|Desk phones move to the new telephone system in April.|四月座机迁移到新电话系统。|Mobile phone allowance and plans.|手机补贴和套餐说明。|Phone directory and extension list.|电话簿和分机号列表。
software/install|Software catalogue: newly approved applications this quarter.|软件目录：本季度新批准的应用。|Windows 11 upgrade schedule by department.|各部门 Windows 11 升级计划。|Licence compliance: unlicensed software is removed.|许可合规：未授权软件将被移除。
software/office|Office 2026 features overview.|Office 2026 新功能概览。|Teams training sessions for new employees.|新员工 Teams 培训课程。|Keyboard shortcuts for Excel.|Excel 常用快捷键。
erp|ERP month-end closing: system freeze on the last working day.|ERP 月结：最后一个工作日系统冻结。|ERP upgrade to the new release in July.|ERP 七月升级到新版本。|ERP training calendar.|ERP 培训日程。
storage/files|File server migration to OneDrive and SharePoint.|文件服务器迁移到 OneDrive 和 SharePoint。|Storage quota per user.|每位用户的存储配额。|Data classification labels explained.|数据分级标签说明。
security|Security awareness month: phishing simulation results.|安全意识月：钓鱼演练结果。|Security patch day every second Tuesday.|每月第二个周二为安全补丁日。|Clean desk policy.|清洁桌面制度。
collaboration|Meeting room booking rules: release rooms you do not use.|会议室预订规则：不用时请释放会议室。|New video conference equipment in the boardroom.|董事会会议室新视频会议设备。|Hybrid meeting etiquette.|混合会议礼仪。
"""


def _problems() -> list[dict[str, str]]:
    keys = (
        "category",
        "tags",
        "en_t",
        "en_cause",
        "en_fix",
        "zh_t",
        "zh_cause",
        "zh_fix",
        "q_en",
        "q_zh",
    )
    rows = []
    for line in PROBLEMS.strip().splitlines():
        fields = line.split("|")
        assert len(fields) == len(keys), line
        rows.append(dict(zip(keys, fields, strict=True)))
    return rows


def build() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The articles and the labelled queries."""
    articles: list[dict[str, object]] = []
    queries: list[dict[str, object]] = []
    problems = _problems()
    by_category: dict[str, list[int]] = {}
    for number, p in enumerate(problems, start=1):
        by_category.setdefault(p["category"], []).append(number)
        tags = sorted(p["tags"].split(","))
        base = f"P{number:03d}"
        articles.append(
            {
                "id": f"{base}-EN",
                "problem": base,
                "lang": "en",
                "category": p["category"],
                "tags": tags,
                "title": p["en_t"],
                "body": f"Symptom: {p['en_t']}.\nCause: {p['en_cause']}\nResolution: {p['en_fix']}",
            }
        )
        articles.append(
            {
                "id": f"{base}-ZH",
                "problem": base,
                "lang": "zh",
                "category": p["category"],
                "tags": tags,
                "title": p["zh_t"],
                "body": f"现象：{p['zh_t']}。\n原因：{p['zh_cause']}\n解决方法：{p['zh_fix']}",
            }
        )
        if number % 2:
            note = {"lang": "en", "title": f"Quick fix: {p['en_t']}", "body": p["en_fix"]}
        else:
            note = {"lang": "zh", "title": f"快速处理：{p['zh_t']}", "body": p["zh_fix"]}
        articles.append(
            {"id": f"{base}-QF", "problem": base, "category": p["category"], "tags": tags, **note}
        )
    for line in NOTICES.strip().splitlines():
        category, *texts = line.split("|")
        for index, text in enumerate(texts):
            lang = "zh" if index % 2 else "en"
            title = text.split(":")[0].split("：")[0].rstrip(".。")
            articles.append(
                {
                    "id": f"N-{category.replace('/', '-')}-{index + 1}",
                    "problem": None,
                    "lang": lang,
                    "category": category,
                    "tags": [],
                    "title": title,
                    "body": text,
                }
            )
    for number, p in enumerate(problems, start=1):
        base = f"P{number:03d}"
        siblings = [f"P{n:03d}" for n in by_category[p["category"]] if n != number]
        for lang, text in (("en", p["q_en"]), ("zh", p["q_zh"])):
            relevance: dict[str, int] = {}
            for article in articles:
                if article["problem"] == base:
                    relevance[str(article["id"])] = 3 if article["lang"] == lang else 2
                elif article["problem"] in siblings:
                    relevance[str(article["id"])] = 1
            queries.append(
                {
                    "id": f"Q{len(queries) + 1:03d}",
                    "lang": lang,
                    "text": text,
                    "problem": base,
                    "relevance": relevance,
                }
            )
    return articles, queries


def main() -> None:
    articles, queries = build()
    for name, rows in (("eval_articles.jsonl", articles), ("eval_queries.jsonl", queries)):
        with open(HERE / name, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(articles), "articles,", len(queries), "queries")


if __name__ == "__main__":
    main()
