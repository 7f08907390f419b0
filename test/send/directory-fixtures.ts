/** The departments every directory test maps through: aliases in the spellings the exports use. */
export const departmentsYml = `departments:
  - id: finance
    name: Finance
    aliases: ["Finance & Accounts", "FIN"]
    list: finance-all@example.com
    contact: { name: "Priya Shah", email: priya.shah@example.com, phone: "+44 20 7946 0101" }
  - id: hr
    name: Human Resources
    aliases: [HR, "People Team"]
    list: hr-all@example.com
    contact: { name: "Tom Okafor", email: tom.okafor@example.com, phone: "+44 20 7946 0102" }
`

/** An Entra ID "Download users" file: a guest, a disabled account, a mailbox-less user whose UPN is an address. */
export const entraCsv = [
  'userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation',
  'ann.lee@example.com,Ann Lee,Lee,ann.lee@example.com,Ann,1a,Member,Controller,Finance & Accounts,True,GB',
  'bo.chen@example.com,Bo Chen,Chen,,Bo,2b,Member,Recruiter,  people   team ,True,GB',
  'vendor_other.org#EXT#@example.onmicrosoft.com,Val Guest,Guest,val@other.org,Val,3c,Guest,,Finance,True,',
  'old.user@example.com,Old User,User,old.user@example.com,Old,4d,Member,,HR,False,GB',
  'cy.diaz@example.com,Cy Díaz,Díaz,cy.diaz@example.com,Cy,5e,Member,Analyst,fin,True,GB',
].join('\n')

/** What Windows PowerShell 5.1 writes for Get-ADUser -Properties EmailAddress,Department,DisplayName | Export-Csv. */
export const adCsv = [
  '#TYPE Microsoft.ActiveDirectory.Management.ADUser',
  '"Department","DisplayName","DistinguishedName","EmailAddress","Enabled","GivenName","Name","SamAccountName","Surname"',
  '"FINANCE & ACCOUNTS","José Núñez","CN=José Núñez,OU=Staff,DC=example,DC=com","jose.nunez@example.com","True","José","José Núñez","jnunez","Núñez"',
  '"Human Resources","Dee Ford","CN=Dee Ford,OU=Staff,DC=example,DC=com","dee.ford@example.com","True","Dee","Dee Ford","dford","Ford"',
  '"Finance","Gone Away","CN=Gone Away,OU=Leavers,DC=example,DC=com","gone@example.com","False","Gone","Gone Away","gaway","Away"',
  '"","svc-backup","CN=svc-backup,OU=Service,DC=example,DC=com","","True","","svc-backup","svc-backup",""',
].join('\r\n')

/** The sample issue with one section for Finance, one for HR, and a patch and a project for Finance only. */
export function withDepartmentSections(text: string): string {
  return text
    .replace(/^(  - title: 7-Zip update)$/m, '$1\n    for: [finance]')
    .replace(/^(  - name: Guest Wi-Fi upgrade)$/m, '$1\n    for: [hr]')
    .replace(
      /\n## Thank you/,
      '\n## New expense app\n<!-- for: finance -->\n\nFinance moves to the new expense app on 1 December.\n\n## Payslips move online\n<!-- for: hr, finance -->\n\nPayslips are online from January.\n\n## Thank you',
    )
}
